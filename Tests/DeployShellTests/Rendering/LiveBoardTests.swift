import DeployKit
import Testing

@testable import DeployShell

/// Small: what the terminal's live block shows, given events and a fake clock (seconds).
@Suite struct LiveBoardTests {
    static let web1 = ProfileRef(node: "web1", profile: "system")
    static let web2 = ProfileRef(node: "web2", profile: "system")

    private func event(_ kind: DeployEvent.Kind, _ ref: ProfileRef?, _ step: DeployStep, _ message: String = "")
        -> DeployEvent
    {
        DeployEvent(kind, target: ref, step: step, message: message)
    }

    @Test func testEachTargetHasOneLineWithStepElapsedSecondsAndSpinner() {
        var board = LiveBoard()
        #expect(board.apply(event(.started, Self.web1, .copy, "to root@a"), at: 0, style: .plain).isEmpty)
        #expect(board.apply(event(.started, Self.web2, .copy, "to root@b"), at: 0.5, style: .plain).isEmpty)
        #expect(board.apply(event(.finished, Self.web1, .copy), at: 1, style: .plain).isEmpty)
        #expect(board.apply(event(.started, Self.web1, .activate, "switch"), at: 1, style: .plain).isEmpty)
        #expect(
            board.lines(at: 3.3, width: 80, style: .plain) == [
                "| [web1.system] activate 2 s  switch",
                "| [web2.system] copy 2 s  to root@b",
            ]
        )
        #expect(board.isAnimated)
    }

    @Test func testTheSpinnerTurnsWithTheClockAndElapsedCountsWholeSeconds() {
        #expect([0, 0.125, 0.25, 0.375, 0.5].map { LiveBoard.spinner(at: $0) } == ["-", "\\", "|", "/", "-"])
        #expect(LiveBoard.elapsed(since: 1, at: 3.99) == "2 s")
        #expect(LiveBoard.elapsed(since: 5, at: 4) == "0 s")
    }

    @Test func testOutputIsTheDimmedTailOfItsTargetsLineWithControlCharactersVisible() {
        var board = LiveBoard()
        _ = board.apply(event(.started, Self.web1, .activate, "switch"), at: 0, style: .plain)
        _ = board.apply(event(.output, Self.web1, .activate, "first"), at: 0.1, style: .plain)
        _ = board.apply(event(.output, Self.web1, .activate, "evil\u{1B}]0;title\u{7}\tend"), at: 0.2, style: .plain)
        #expect(
            board.lines(at: 1, width: 80, style: .plain) == ["- [web1.system] activate 1 s  evil\\x1b]0;title\\x07 end"]
        )
        let colored = board.lines(at: 1, width: 80, style: TextStyle(usesColor: true, isTerminal: true))
        #expect(colored.first?.hasSuffix("\u{1B}[2m  evil\\x1b]0;title\\x07 end\u{1B}[0m") == true, "\(colored)")
    }

    @Test func testLinesAreTrimmedToTheTerminalWidth() {
        var board = LiveBoard()
        _ = board.apply(event(.started, Self.web1, .activate), at: 0, style: .plain)
        _ = board.apply(event(.output, Self.web1, .activate, String(repeating: "x", count: 500)), at: 0, style: .plain)
        let lines = board.lines(at: 0, width: 40, style: .plain)
        #expect(lines == ["- [web1.system] activate 0 s  " + String(repeating: "x", count: 9)])
        #expect(lines[0].count == 39)
        let colored = board.lines(at: 0, width: 40, style: TextStyle(usesColor: true, isTerminal: true))
        let plain = ["\u{1B}[0m", "\u{1B}[1m", "\u{1B}[2m"].reduce(colored[0]) { $0.replacing($1, with: "") }
        #expect(plain == lines[0])
    }

    @Test func testAConfirmedTargetCollapsesIntoOnePermanentResultLine() {
        var board = LiveBoard()
        _ = board.apply(event(.started, Self.web1, .activate), at: 0, style: .plain)
        _ = board.apply(event(.started, Self.web2, .activate), at: 0, style: .plain)
        _ = board.apply(event(.started, Self.web1, .confirm), at: 2, style: .plain)
        let result = board.apply(event(.finished, Self.web1, .confirm, "generation 3"), at: 4.5, style: .plain)
        #expect(result == ["[web1.system] confirm ok: generation 3 (4 s)"])
        #expect(board.entries.map(\.key) == ["web2.system"])
    }

    @Test func testAFailedTargetShowsItsLastOutputAndWhereToReadAllOfIt() {
        var board = LiveBoard(offersShowLog: true)
        board.tailLimit = 2
        _ = board.apply(event(.started, Self.web1, .activate), at: 0, style: .plain)
        for line in ["one", "two", "three"] {
            _ = board.apply(event(.output, Self.web1, .activate, line), at: 1, style: .plain)
        }
        let result = board.apply(
            event(.failed, Self.web1, .activate, "the activation failed (exit status 3)"),
            at: 2,
            style: .plain
        )
        #expect(
            result == [
                "[web1.system] activate failed: the activation failed (exit status 3) (2 s)",
                "    two",
                "    three",
                "    full output: show-log web1.system",
            ]
        )
        #expect(board.isEmpty)
        var oneShot = LiveBoard(offersShowLog: false)
        _ = oneShot.apply(event(.started, Self.web1, .activate), at: 0, style: .plain)
        #expect(
            oneShot.apply(event(.failed, Self.web1, .activate), at: 0, style: .plain) == [
                "[web1.system] activate failed (0 s)"
            ]
        )
    }

    /// Activates `web1` with `count` lines of output (`line 1`...), then confirms it at 3 s.
    private func confirmed(_ board: inout LiveBoard, lines count: Int) -> [String] {
        _ = board.apply(event(.started, Self.web1, .activate, "switch"), at: 0, style: .plain)
        for index in 1...count {
            _ = board.apply(event(.output, Self.web1, .activate, "line \(index)"), at: 1, style: .plain)
        }
        _ = board.apply(event(.finished, Self.web1, .activate, "generation 3"), at: 2, style: .plain)
        _ = board.apply(event(.started, Self.web1, .confirm), at: 2, style: .plain)
        return board.apply(event(.finished, Self.web1, .confirm, "generation 3"), at: 3, style: .plain)
    }

    @Test func testAConfirmedTargetShowsTheLastLinesOfItsActivationAndWhereToReadTheRest() {
        var shell = LiveBoard(offersShowLog: true)
        #expect(
            confirmed(&shell, lines: 7) == [
                "[web1.system] confirm ok: generation 3 (3 s)",
                "    (2 earlier lines: show-log web1.system)",
                "    line 3", "    line 4", "    line 5", "    line 6", "    line 7",
            ]
        )
        var oneShot = LiveBoard(offersShowLog: false)
        #expect(
            confirmed(&oneShot, lines: 6) == [
                "[web1.system] confirm ok: generation 3 (3 s)",
                "    (1 earlier line: --show-output shows all)",
                "    line 2", "    line 3", "    line 4", "    line 5", "    line 6",
            ]
        )
        var short = LiveBoard(offersShowLog: true)
        #expect(
            confirmed(&short, lines: 2) == ["[web1.system] confirm ok: generation 3 (3 s)", "    line 1", "    line 2"]
        )
    }

    @Test func testShowingAllOutputKeepsEveryLineOfTheActivation() {
        var board = LiveBoard(offersShowLog: true)
        board.showsAllOutput = true
        let result = confirmed(&board, lines: 40)
        #expect(result.count == 41)
        #expect(result.dropFirst().first == "    line 1")
        #expect(result.last == "    line 40")
    }

    @Test func testARollbackAfterAnActivationDoesNotRepeatItsOutput() {
        var board = LiveBoard(offersShowLog: true)
        _ = board.apply(event(.started, Self.web1, .activate, "switch"), at: 0, style: .plain)
        _ = board.apply(event(.output, Self.web1, .activate, "restarting sshd.service"), at: 1, style: .plain)
        _ = board.apply(event(.finished, Self.web1, .activate, "generation 2"), at: 1, style: .plain)
        _ = board.apply(event(.started, Self.web1, .rollback), at: 2, style: .plain)
        #expect(
            board.apply(event(.finished, Self.web1, .rollback, "generation 1"), at: 3, style: .plain) == [
                "[web1.system] rollback ok: generation 1 (3 s)"
            ]
        )
    }

    @Test func testAnActivationWithoutConfirmShowsItsOutputWhenTheRunEnds() {
        var board = LiveBoard(offersShowLog: true)
        _ = board.apply(event(.started, Self.web1, .activate, "switch"), at: 0, style: .plain)
        _ = board.apply(event(.output, Self.web1, .activate, "restarting sshd.service"), at: 1, style: .plain)
        _ = board.apply(event(.finished, Self.web1, .activate, "generation 2"), at: 1, style: .plain)
        #expect(
            board.finish(at: 2, style: .plain) == [
                "[web1.system] activate ok: generation 2 (2 s)", "    restarting sshd.service",
            ]
        )
    }

    @Test func testTheSharedBuildHasAnAllLineUntilTheBuildEnds() {
        var board = LiveBoard()
        _ = board.apply(event(.started, Self.web1, .build, "local"), at: 0, style: .plain)
        _ = board.apply(event(.started, Self.web2, .build, "local"), at: 0, style: .plain)
        _ = board.apply(event(.output, nil, .build, "building '/nix/store/abc.drv'..."), at: 1, style: .plain)
        #expect(
            board.lines(at: 1, width: 80, style: .plain) == [
                "- [web1.system] build 1 s  local",
                "- [web2.system] build 1 s  local",
                "- [all] build 0 s  building '/nix/store/abc.drv'...",
            ]
        )
        #expect(board.apply(event(.finished, Self.web1, .build, "/nix/store/x"), at: 2, style: .plain).isEmpty)
        #expect(board.apply(event(.finished, Self.web2, .build, "/nix/store/y"), at: 2, style: .plain).isEmpty)
        #expect(
            board.lines(at: 2, width: 80, style: .plain) == [
                "  [web1.system] build ok  /nix/store/x",
                "  [web2.system] build ok  /nix/store/y",
            ]
        )
        #expect(!board.isAnimated)
    }

    @Test func testAFailedSharedBuildKeepsItsOutputOnce() {
        var board = LiveBoard()
        _ = board.apply(event(.started, Self.web1, .build, "local"), at: 0, style: .plain)
        _ = board.apply(event(.started, Self.web2, .build, "local"), at: 0, style: .plain)
        _ = board.apply(event(.output, nil, .build, "error: builder failed"), at: 1, style: .plain)
        #expect(
            board.apply(event(.failed, Self.web1, .build), at: 2, style: .plain) == [
                "[web1.system] build failed (2 s)", "    error: builder failed",
            ]
        )
        #expect(
            board.apply(event(.failed, Self.web2, .build), at: 2, style: .plain) == ["[web2.system] build failed (2 s)"]
        )
        #expect(board.isEmpty)
    }

    @Test func testFinishingCollapsesEveryLineLeftAndDropsTheAllLine() {
        var board = LiveBoard()
        _ = board.apply(event(.started, Self.web1, .activate), at: 0, style: .plain)
        _ = board.apply(event(.finished, Self.web1, .activate, "generation 2"), at: 1, style: .plain)
        _ = board.apply(event(.started, Self.web2, .copy), at: 1, style: .plain)
        _ = board.apply(event(.output, nil, .build, "x"), at: 1, style: .plain)
        #expect(
            board.finish(at: 3, style: .plain) == [
                "[web1.system] activate ok: generation 2 (3 s)",
                "[web2.system] copy did not finish (2 s)",
            ]
        )
        #expect(board.isEmpty)
    }

    @Test func testNotesArePermanentLinesAndLeaveTheBlockAlone() {
        var board = LiveBoard()
        _ = board.apply(event(.started, Self.web1, .activate), at: 0, style: .plain)
        #expect(
            board.apply(event(.waiting, Self.web1, .activate, "lock held by pid 7"), at: 1, style: .plain) == [
                "[web1.system] lock held by pid 7"
            ]
        )
        #expect(board.entries.count == 1)
    }

    @Test func testABlockOfMoreTargetsThanItsHeightCountsTheRest() {
        var board = LiveBoard()
        board.maxLines = 3
        for index in 1...5 {
            _ = board.apply(event(.started, ProfileRef(node: "n\(index)", profile: "p"), .copy), at: 0, style: .plain)
        }
        #expect(
            board.lines(at: 0, width: 80, style: .plain) == [
                "- [n1.p] copy 0 s", "- [n2.p] copy 0 s", "  ... and 3 more",
            ]
        )
    }

    @Test func testExecLinesAreNamedByNode() {
        var board = LiveBoard()
        _ = board.apply(DeployEvent(.started, node: "web1", step: .exec, message: "uptime"), at: 0, style: .plain)
        _ = board.apply(DeployEvent(.output, node: "web1", step: .exec, message: "up 3 days"), at: 0, style: .plain)
        #expect(board.lines(at: 1, width: 80, style: .plain) == ["- [web1] exec 1 s  up 3 days"])
        let result = board.apply(
            DeployEvent(.finished, node: "web1", step: .exec, message: "exit status 0"),
            at: 1,
            style: .plain
        )
        #expect(result == ["[web1] exec ok: exit status 0 (1 s)"])
    }

    @Test func testTheCurrentBatchHasAHeaderAboveItsNodesAndLinesWhenItStartsAndEnds() {
        var board = LiveBoard()
        let batch = DeployEvent.BatchInfo(index: 1, count: 3, nodes: ["web1", "web2"], status: "started")
        #expect(board.apply(DeployEvent(batch: batch), at: 0, style: .plain) == ["batch 1 (2/3) started: web1, web2"])
        _ = board.apply(event(.started, Self.web1, .copy, "to root@a"), at: 0, style: .plain)
        #expect(
            board.lines(at: 1, width: 80, style: .plain) == [
                "batch 1 (2/3): 2 nodes",
                "- [web1.system] copy 1 s  to root@a",
            ]
        )
        _ = board.apply(event(.finished, Self.web1, .confirm), at: 2, style: .plain)
        var done = batch
        done.status = "done"
        #expect(board.apply(DeployEvent(batch: done), at: 2, style: .plain) == ["batch 1 (2/3) done"])
        #expect(board.lines(at: 2, width: 80, style: .plain).isEmpty)
    }
}
