import DeployShell
import Testing

/// The hand-read command lines must be only the plain ones; everything else goes to ArgumentParser.
@Suite struct ShellArgumentsTests {
    @Test(arguments: [
        (["-c", "load .; nodes"], ShellArguments(commands: "load .; nodes")),
        (["-f", "deploy.dsh"], ShellArguments(file: "deploy.dsh")),
        (["--json", "-c", "nodes"], ShellArguments(json: true, commands: "nodes")),
        (["-f", "x.dsh", "--keep-going", "--json"], ShellArguments(json: true, file: "x.dsh", keepGoing: true)),
    ])
    func testPlainFormsAreReadByHand(arguments: [String], expected: ShellArguments) {
        #expect(ShellArguments.quick(arguments) == expected)
    }

    @Test(arguments: [
        [String](),  // the REPL
        ["--json"],
        ["."],  // a flake to load first
        ["-c"],  // missing value: ArgumentParser says so
        ["-c", "--json"],
        ["-c", "nodes", "-c", "plan"],
        ["-c", "nodes", "-f", "x.dsh"],
        ["--json", "--json", "-c", "nodes"],
        ["-cnodes"],
        ["--commands", "nodes"],
        ["-c", "nodes", "."],
        ["-c", "nodes", "--"],
        ["--help"],
        ["-h"],
        ["--version"],
    ])
    func testEverythingElseIsLeftToArgumentParser(arguments: [String]) {
        #expect(ShellArguments.quick(arguments) == nil)
    }
}
