import DeployKit
import DeployTestSupport
import Testing

@testable import DeployShell

/// Small: `--json` results and errors name the command that produced them, and its script location.
@Suite(.timeLimit(.minutes(1)))
@MainActor
struct JSONOriginTests {
    @Test func testAResultNamesItsCommandAndLocationBesideItsOwnFields() async {
        let shell = TestShell(json: true, runner: RecordingRunner())
        #expect(await shell.run("# deploy\n\n  echo hello; select", file: "deploy.dsh") == .success)
        #expect(
            shell.takeOutput() == """
                {"command":"echo","echo":"hello","location":"deploy.dsh:3:3"}
                {"command":"select","location":"deploy.dsh:3:15","selection":[]}

                """
        )
    }

    @Test func testOutsideAScriptThereIsNoLocation() async {
        let shell = TestShell(json: true, runner: RecordingRunner())
        var source = ScriptSource(text: "echo hi", file: "<repl>")
        _ = await Interpreter(session: shell.session).run(&source, interactive: true)
        #expect(shell.takeOutput() == #"{"command":"echo","echo":"hi"}"# + "\n")
    }

    @Test func testAnErrorNamesItsCommand() async {
        let shell = TestShell(json: true, runner: RecordingRunner())
        #expect(await shell.run("nodes", file: "x.dsh") == .failed)
        let errors = shell.takeErrors()
        #expect(errors.hasPrefix(#"{"command":"nodes","error":{"#), "\(errors)")
        #expect(errors.contains(#""location":{"column":1,"file":"x.dsh","line":1}"#), "\(errors)")
    }

    @Test func testTheOriginIsRestoredAfterACommand() async {
        let shell = TestShell(json: true, runner: RecordingRunner())
        #expect(await shell.run("echo a", file: "x.dsh") == .success)
        #expect(shell.session.console.origin.value == nil)
        shell.session.console.show(MessageReport("later"))
        #expect(shell.takeOutput().hasSuffix(#"{"message":"later"}"# + "\n"))
    }
}
