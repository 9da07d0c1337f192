import DeployKit
import Synchronization
import Testing

@testable import DeployShell

/// Small: the live block counts terminal cells, and follows a window that shrinks.
@Suite struct TerminalCellsTests {
    @Test(arguments: [
        ("web1", 4),
        ("日本語", 6),
        ("ｗｅｂ", 6),
        ("e\u{301}te\u{301}", 3),
        ("👍", 2),
        ("❤️", 2),
        ("🇩🇪", 2),
        ("한국", 4),
        ("a\u{200B}b", 2),
    ])
    func testWidthCountsCells(text: String, cells: Int) {
        #expect(TerminalCells.width(text) == cells)
    }

    @Test func testPrefixStopsBeforeAWideCharacterThatWouldNotFit() {
        #expect(TerminalCells.prefix("日本語", cells: 5) == ("日本", 4))
        #expect(TerminalCells.prefix("ab日", cells: 3) == ("ab", 2))
        #expect(TerminalCells.prefix("e\u{301}x", cells: 1) == ("e\u{301}", 1))
        #expect(TerminalCells.prefix("web1", cells: 9) == ("web1", 4))
    }

    @Test func testColourEscapesTakeNoCells() {
        #expect(TerminalCells.width(ofPainted: "\u{1B}[2m日本\u{1B}[0m ok") == 7)
    }

    @Test func testALiveLineWithWideOutputFitsTheWidthInCells() {
        var board = LiveBoard()
        let ref = ProfileRef(node: "web1", profile: "system")
        _ = board.apply(DeployEvent(.started, target: ref, step: .copy), at: 0, style: .plain)
        _ = board.apply(
            DeployEvent(.output, target: ref, step: .copy, message: "コピー中のパス: 日本語のファイル名がとても長い"),
            at: 0,
            style: .plain
        )
        let line = board.lines(at: 0, width: 40, style: .plain)[0]
        // 26 cells of label and step, then 6 wide characters (12 cells): a 7th would make 40.
        #expect(line == "- [web1.system] copy 0 s  コピー中のパ", "\(line)")
        #expect(TerminalCells.width(line) == 38)
    }

    @Test func testAfterTheWindowShrinksTheCursorGoesUpEveryRowTheOldLinesNowTake() {
        let width = Mutex(100)
        let writes = Mutex<[String]>([])
        let output = LiveDisplay.Output(
            write: { text in writes.withLock { $0.append(text) } },
            width: { width.withLock { $0 } },
            style: .plain
        )
        let live = LiveDisplay(interval: .seconds(3600))
        let ref = ProfileRef(node: "web1", profile: "system")
        live.show(DeployEvent(.started, target: ref, step: .copy), offersShowLog: false, on: output)
        live.show(
            DeployEvent(.output, target: ref, step: .copy, message: String(repeating: "x", count: 90)),
            offersShowLog: false,
            on: output
        )
        // The line took 99 cells at width 100; at width 40 the terminal shows it on 3 rows.
        width.withLock { $0 = 40 }
        live.printAbove("note\n", on: output)
        let last = writes.withLock { $0.last ?? "" }
        #expect(last.hasPrefix("\r\u{1B}[3Anote\u{1B}[K\n"), "\(last.debugDescription)")
        // Drawn again at 40, the next redraw goes up one row per line again.
        live.printAbove("again\n", on: output)
        #expect(writes.withLock { $0.last ?? "" }.hasPrefix("\r\u{1B}[1Aagain"))
        live.finish(on: output)
    }
}
