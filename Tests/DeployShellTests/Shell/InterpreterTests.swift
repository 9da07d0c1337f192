import DeployKit
import DeployTestSupport
import Testing

@testable import DeployShell

/// Scripts through the interpreter with commands that need no nix: output, errors, locations, JSON.
@Suite(.timeLimit(.minutes(1)))
@MainActor
struct InterpreterTests {
    @Test func testEchoPrintsItsArguments() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("echo hello   world\necho 'two  spaces' \"it's\"") == .success)
        #expect(shell.takeOutput() == "hello world\ntwo  spaces it's\n")
        #expect(shell.takeErrors() == "")
    }

    @Test func testSemicolonsContinuationLinesCommentsAndBlankLines() async {
        let shell = TestShell(runner: RecordingRunner())
        let script = """
            # a comment
            echo a; echo b

            echo one \\
              two
            echo 'multi
            line' # trailing comment
            """
        #expect(await shell.run(script) == .success)
        #expect(shell.takeOutput() == "a\nb\none two\nmulti\nline\n")
    }

    @Test func testASyntaxErrorOnLine3StopsThereWithItsLocation() async throws {
        let shell = TestShell(runner: RecordingRunner())
        let marked = MarkedText("echo a\necho b\necho 1️⃣'oops\necho never", file: "bad.dsh")
        #expect(try marked.location("1️⃣") == SourceLocation(file: "bad.dsh", line: 3, column: 6))
        #expect(await shell.run(marked.text, file: "bad.dsh") == .failed)
        #expect(shell.takeOutput() == "a\nb\n")
        #expect(shell.takeErrors().hasPrefix("bad.dsh:3:6: error: unterminated single quote"))
    }

    @Test func testAnErrorAfterAContinuationLineIsLocatedOnItsOwnLine() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("echo a \\\n  b; nodse", file: "c.dsh") == .failed)
        #expect(shell.takeOutput() == "a b\n")
        #expect(
            shell.takeErrors()
                == "c.dsh:2:6: error: unknown command 'nodse'; did you mean 'nodes'?\nhint: Run `help` to list the commands.\n"
        )
    }

    @Test func testAScriptStopsAtTheFirstFailure() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("echo a\nnodse\necho b") == .failed)
        #expect(shell.takeOutput() == "a\n")
        #expect(
            shell.takeErrors()
                == "test.dsh:2:1: error: unknown command 'nodse'; did you mean 'nodes'?\nhint: Run `help` to list the commands.\n"
        )
    }

    @Test func testKeepGoingRunsEveryStatementButStillFails() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("echo a\nnodse\necho b\necho 'open\necho c", keepGoing: true) == .failed)
        #expect(shell.takeOutput() == "a\nb\n")
        #expect(
            shell.takeErrors()
                == "test.dsh:2:1: error: unknown command 'nodse'; did you mean 'nodes'?\nhint: Run `help` to list the commands.\n"
                + "test.dsh:4:6: error: unterminated single quote\nhint: Close the quote, or escape it with a backslash.\n"
        )
        #expect(await shell.run("echo a\necho b", keepGoing: true) == .success)
    }

    @Test func testHelpListsEveryCommandWithItsSummary() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("help") == .success)
        let output = shell.takeOutput()
        #expect(
            output.hasSuffix(
                "\n\n`help COMMAND` (or `COMMAND --help`) shows a command's usage.\n"
                    + "`deploy --keep-going` goes on after a failed node (the other nodes are deployed and kept);\n"
                    + "`deploysh --keep-going` goes on after a failed command of a script, -c or piped input.\n"
            )
        )
        let lines = output.split(separator: "\n").map(String.init).prefix(CommandTable.commands.count)
        #expect(lines.map { $0.split(separator: " ").first.map(String.init) ?? "" } == CommandTable.names)
        #expect(lines.contains("  echo          Print the arguments."))
        #expect(lines.contains("  generations   " + GenerationsCommand.summary))
        #expect(lines.contains("  set           Override a setting for this session (or list every setting)."))
    }

    @Test func testHelpOfOneCommandShowsItsUsage() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("help set") == .success)
        let output = shell.takeOutput()
        #expect(output.hasPrefix("OVERVIEW: Override a setting for this session (or list every setting)."))
        #expect(output.contains("USAGE: set [<key>] [<value> ...]"))
        #expect(output.contains("Example: set confirmTimeout 60; set sshOpts '-p 2222'"))
        #expect(await shell.run("set --help") == .success)
        #expect(shell.takeOutput() == output)
    }

    @Test func testHelpOfAnUnknownCommandSuggests() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("help ecko") == .failed)
        #expect(
            shell.takeErrors()
                == "test.dsh:1:1: error: unknown command 'ecko'; did you mean 'echo'?\nhint: Run `help` to list the commands.\n"
        )
    }

    @Test func testSetWithAValueOfTheWrongTypeIsAnError() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set confirmTimeout soon") == .failed)
        #expect(
            shell.takeErrors()
                == "test.dsh:1:1: error: setting 'confirmTimeout' expects an integer, not 'soon'\n"
                + "hint: For example: `set confirmTimeout 30`.\n"
        )
        #expect(shell.session.settings.overrides.isEmpty)
    }

    @Test func testSetShowsTheOverrideAndUnsetRemovesIt() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set sshOpts -p 2222\nset confirmTimeout 60\nunset sshOpts") == .success)
        #expect(shell.takeOutput() == "sshOpts = -p 2222\nconfirmTimeout = 60\nconfirmTimeout = 60\n")
        #expect(shell.session.settings.overrides.settings.confirmTimeout == 60)
        #expect(shell.session.settings.overrides.settings.sshOpts == nil)
    }

    @Test(arguments: [
        ("set sshOpts -p 2222", ["-p", "2222"]),
        ("set sshOpts '-p 2222'", ["-p", "2222"]),
        ("set sshOpts -o StrictHostKeyChecking=no -i /k", ["-o", "StrictHostKeyChecking=no", "-i", "/k"]),
        ("set sshOpts -- -v", ["-v"]),
        ("set sshOpts -o 'ServerAliveInterval 5'", ["-o", "ServerAliveInterval 5"]),
    ])
    func testSSHOptsStartingWithADashAreAValueNotAnOption(script: String, options: [String]) async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run(script) == .success)
        #expect(shell.takeErrors() == "")
        #expect(shell.session.settings.overrides.settings.sshOpts == options)
    }

    @Test func testSetWithoutAValueIsABadArgument() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set sshUser") == .failed)
        #expect(
            shell.takeErrors()
                == "test.dsh:1:1: error: set: missing a value for 'sshUser'\nhint: Run `help set` for its usage.\n"
        )
    }

    @Test func testUnsetOfAnUnknownKeySuggestsTheNearest() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("unset confirmTimout") == .failed)
        #expect(
            shell.takeErrors()
                == "test.dsh:1:1: error: no setting named 'confirmTimout'\n"
                + "hint: Did you mean 'confirmTimeout'? Run `set` to list settings.\n"
        )
    }

    @Test func testJSONModePrintsOneObjectPerCommand() async throws {
        let shell = TestShell(json: true, runner: RecordingRunner())
        #expect(await shell.run("echo hi; set confirmTimeout 60\nhistory") == .success)
        #expect(
            shell.takeOutput() == #"{"command":"echo","echo":"hi","location":"test.dsh:1:1"}"# + "\n"
                + #"{"command":"set","location":"test.dsh:1:10","overrides":{"confirmTimeout":"60"}}"# + "\n"
                + #"{"command":"history","history":[],"location":"test.dsh:2:1"}"# + "\n"
        )
        #expect(shell.takeErrors() == "")
    }

    @Test func testJSONModeErrorsAreOneObjectWithTheLocation() async throws {
        let shell = TestShell(json: true, runner: RecordingRunner())
        #expect(await shell.run("echo ok\nunset nope", file: "j.dsh") == .failed)
        #expect(shell.takeOutput() == #"{"command":"echo","echo":"ok","location":"j.dsh:1:1"}"# + "\n")
        #expect(
            shell.takeErrors()
                == #"{"command":"unset","error":{"hint":"Run `set` to list settings.","#
                + #""location":{"column":1,"file":"j.dsh","line":2},"#
                + #""message":"no setting named 'nope'"}}"# + "\n"
        )
    }

    @Test(arguments: ["quit", "exit"])
    func testQuitStopsTheScriptSuccessfully(command: String) async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("echo a\n\(command)\necho b") == .success)
        #expect(shell.takeOutput() == "a\n")
        #expect(shell.session.wantsToQuit)
    }

    @Test func testQuitInTheMiddleOfALineStopsTheRestOfIt() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("echo a; quit; echo b\necho c") == .success)
        #expect(shell.takeOutput() == "a\n")
    }

    @Test func testInteractiveQuitAlsoStopsTheRestOfTheLine() async {
        let shell = TestShell(runner: RecordingRunner())
        var source = ScriptSource(text: "echo a; exit; echo b\necho c", file: "<stdin>")
        #expect(await Interpreter(session: shell.session).run(&source, interactive: true) == .success)
        #expect(shell.takeOutput() == "a\n")
        #expect(shell.session.history == ["echo a; exit; echo b"])
    }

    @Test(arguments: [
        "", "load", "! load . --bogus", "! nodes", "nosuchcommand x", "echo 'unclosed", "help load", "!",
    ])
    func testWarmingUpTheFirstCommandHasNoEffectOfItsOwn(script: String) async {
        Interpreter.warmUp(script)
        // The same script still runs (or fails) as it does without the warm-up.
        let warmed = TestShell(runner: RecordingRunner())
        let cold = TestShell(runner: RecordingRunner())
        #expect(await warmed.run(script) == cold.run(script))
        #expect(warmed.takeOutput() == cold.takeOutput())
        #expect(warmed.takeErrors() == cold.takeErrors())
    }

    @Test func testSleepZeroReturnsAndBadSecondsAreRejected() async {
        let shell = TestShell(runner: RecordingRunner())
        // No clock here: under the whole suite's load a bound on seconds failed spuriously.
        #expect(await shell.run("sleep 0; echo woke") == .success)
        #expect(shell.takeOutput() == "woke\n")
        #expect(await shell.run("sleep 4000") == .failed)
        #expect(
            shell.takeErrors()
                == "test.dsh:1:1: error: sleep: seconds must be between 0 and 3600\nhint: Run `help sleep` for its usage.\n"
        )
    }

    @Test func testHistoryIsEmptyInScripts() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("echo a\nhistory\nset confirmTimeout 5\nhistory") == .success)
        #expect(shell.takeOutput() == "a\nconfirmTimeout = 5\n")
        #expect(shell.session.history == [])
    }

    @Test func testCommandsThatNeedAFlakeSayToLoadOne() async {
        let runner = RecordingRunner()
        let shell = TestShell(runner: runner)
        #expect(await shell.run("nodes") == .failed)
        #expect(
            shell.takeErrors()
                == "test.dsh:1:1: error: no flake is loaded\nhint: Run `load FLAKE` first (for example `load .`).\n"
        )
        #expect(runner.invocations == [])
    }
}
