import DeployKit
import DeployShell
import Testing

/// Small: what a transcript says a session changed, read back from its lines alone.
@Suite struct SessionHistoryTests {
    static func command(_ text: String) -> TranscriptLine {
        var line = TranscriptLine(.command, time: 1)
        line.text = text
        return line
    }

    static func summary(_ rows: [(node: String, before: Int?, after: Int?)]) -> TranscriptLine {
        var line = TranscriptLine(.summary, time: 2)
        line.targets = rows.map { row in
            var target = TranscriptTarget(target: row.node + ".system", flake: "/f", node: row.node, profile: "system")
            target.generationBefore = row.before
            target.beforeWasRead = true
            target.generationAfter = row.after
            target.changed = row.before != row.after
            target.state = "confirmed"
            return target
        }
        return line
    }

    static func plan(_ nodes: [String]) -> TranscriptLine {
        var line = TranscriptLine(.plan, time: 3)
        line.targets = nodes.map { node in
            var target = TranscriptTarget(target: node + ".system", flake: "/f", node: node, profile: "system")
            target.steps = ["buildLocally", "copy", "activate(switch)", "confirm"]
            return target
        }
        return line
    }

    @Test func testTargetsDeployedTwiceKeepTheirFirstGenerationAndTheLatestChangeComesLast() {
        let history = SessionHistory(
            id: "s",
            lines: [
                Self.command("deploy a b c"), Self.summary([("a", 1, 2), ("b", nil, 1), ("c", 5, 6)]),
                Self.command("deploy a c"), Self.summary([("a", 2, 3), ("c", 6, 7)]),
            ]
        )
        #expect(history.changes.map(\.ref.node) == ["a", "b", "c"])
        #expect(history.changes.map(\.generationBefore) == [.some(1), .some(nil), .some(5)])
        #expect(history.changes.map(\.generationAfter) == [3, 1, 7])
        #expect(history.changes.map(\.sequence) == [4, 2, 5])
        #expect(history.outcome == "did not end")
    }

    @Test func testAPlanWithNoSummaryMarksItsTargetsCutOff() {
        let history = SessionHistory(
            id: "s",
            lines: [
                Self.command("deploy a"), Self.summary([("a", 1, 2)]), Self.command("deploy a b"),
                Self.plan(["a", "b"]),
            ]
        )
        #expect(history.changes.map(\.isCutOff) == [true, true])
        #expect(history.changes.map(\.generationBefore) == [.some(1), nil])
    }

    @Test func testAGenerationReadBeforeACutOffPlanIsItsGenerationBefore() {
        var read = TranscriptLine(.generation, time: 4)
        read.node = "b"
        read.profile = "system"
        read.flake = "/f"
        read.generation = 7
        var none = read
        none.node = "c"
        none.generation = nil
        let history = SessionHistory(id: "s", lines: [Self.command("deploy b c"), Self.plan(["b", "c"]), read, none])
        #expect(history.changes.map(\.generationBefore) == [.some(7), .some(nil)])
        #expect(history.changes.map(\.isCutOff) == [true, true])
    }

    @Test func testTheScriptReplaysCommandsButNotSessions() {
        var start = TranscriptLine(.start, time: 0)
        start.user = "ops"
        start.host = "h"
        start.cwd = "/w"
        var end = TranscriptLine(.end, time: 9)
        end.status = 0
        let history = SessionHistory(
            id: "20261207T233000Z-ab12cd",
            lines: [start, Self.command("load /f"), Self.command("sessions"), Self.command("deploy a\n  b"), end]
        )
        #expect(
            history.script == """
                # deploysh session 20261207T233000Z-ab12cd, started by ops@h in /w
                load /f
                deploy a
                  b

                """
        )
        #expect(history.outcome == "ok")
    }
}
