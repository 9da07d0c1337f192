import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Medium: `sessions` over transcripts in a temporary state directory.
@Suite @MainActor struct SessionsCommandTests {
    /// A finished session that deployed web.system from generation 2 to 3.
    static func write(in store: TranscriptStore) throws -> String {
        let transcript = try store.create(now: 1_796_686_200)
        var start = TranscriptLine(.start, time: 1_796_686_200)
        start.id = transcript.id
        start.user = "ops"
        start.host = "deployer"
        start.cwd = "/srv"
        start.face = "script"
        start.version = "0.1.0"
        start.argv = ["deploysh", "-f", "x.dsh"]
        var command = TranscriptLine(.command, time: 1_796_686_201)
        command.text = "deploy web"
        command.location = SourceLocation(file: "x.dsh", line: 2, column: 1)
        var flake = TranscriptLine(.flake, time: 1_796_686_200)
        flake.flake = "/srv/fleet"
        var summary = TranscriptLine(.summary, time: 1_796_686_205)
        var row = TranscriptTarget(target: "web.system", flake: "/srv/fleet", node: "web", profile: "system")
        row.state = "confirmed"
        row.generationBefore = 2
        row.beforeWasRead = true
        row.generationAfter = 3
        row.changed = true
        summary.targets = [row]
        summary.ok = true
        var end = TranscriptLine(.end, time: 1_796_686_206)
        end.status = 0
        for line in [start, flake, command, summary, end] { transcript.append(line) }
        return transcript.id
    }

    @Test func testSessionsListsShowsAndScriptsATranscript() async throws {
        let state = try TestEnvironment.temporaryDirectory("state").path
        let id = try Self.write(in: TranscriptStore(stateDirectory: state))
        let shell = TestShell(stateDirectory: state)
        #expect(await shell.run("sessions") == .success)
        let list = shell.takeOutput()
        #expect(list.contains("\(id)  2026-12-07 23:30:00Z  ops   /srv/fleet  1         web.system  ok"), "\(list)")
        #expect(await shell.run("sessions show \(id.prefix(20))") == .success, "\(shell.takeErrors())")
        let shown = shell.takeOutput()
        #expect(shown.contains("23:30:01 > x.dsh:2:1: deploy web"), "\(shown)")
        #expect(shown.contains("    web.system confirmed 2 -> 3"), "\(shown)")
        #expect(shown.contains("end: exit status 0"))
        #expect(await shell.run("sessions script last") == .success)
        #expect(shell.takeOutput() == "# deploysh session \(id), started by ops@deployer in /srv\ndeploy web\n")
    }

    @Test func testAnUnknownSessionIsNamedWithAHint() async throws {
        let shell = TestShell(stateDirectory: try TestEnvironment.temporaryDirectory("state").path)
        #expect(await shell.run("sessions show 1999") == .failed)
        #expect(
            shell.takeErrors() == """
                test.dsh:1:1: error: no session '1999'
                hint: Run `sessions` to list the sessions.

                """
        )
    }
}
