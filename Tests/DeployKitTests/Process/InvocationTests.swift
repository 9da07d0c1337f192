import Testing

@testable import DeployKit

/// How a command is shown to people: a paste-able POSIX command line, or the display override.
@Suite struct InvocationTests {
    @Test func testCommandLineQuotesOnlyWordsThatNeedItAndSortsTheEnvironment() {
        let invocation = Invocation(
            "nix",
            ["eval", "--json", "path:/srv/fleet#deploy", "--apply", "d: d", ""],
            environment: ["NIX_SSHOPTS": "-p 2222", "A": "x"]
        )
        #expect(
            invocation.commandLine
                == "A=x NIX_SSHOPTS='-p 2222' nix eval --json 'path:/srv/fleet#deploy' --apply 'd: d' ''"
        )
        #expect(invocation.description == invocation.commandLine)
    }

    @Test func testDisplayReplacesTheCommandLine() {
        var invocation = Invocation("ssh", ["root@h", "--", "'sh' '-c' 'long program'"], standardInput: "pw\n")
        invocation.display = "ssh root@h -- sh -c <deploysh activator>"
        #expect(invocation.commandLine == "ssh root@h -- sh -c <deploysh activator>")
        #expect(invocation.description == "ssh root@h -- sh -c <deploysh activator>")
        #expect(invocation.arguments == ["root@h", "--", "'sh' '-c' 'long program'"])
    }
}
