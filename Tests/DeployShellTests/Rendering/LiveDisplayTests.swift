import DeployKit
import Synchronization
import Testing

@testable import DeployShell

/// Small: the live block as a terminal shows it, replayed on a tiny screen model that moves
/// the cursor and clears lines as a terminal does.
@Suite struct LiveDisplayTests {
    static let web1 = ProfileRef(node: "web1", profile: "system")
    static let web2 = ProfileRef(node: "web2", profile: "system")

    /// A display whose ticker never fires within a test, and the screen it draws on.
    private func display(interval: Duration = .seconds(3600)) -> (LiveDisplay, VirtualScreen, LiveDisplay.Output) {
        let screen = VirtualScreen()
        let output = LiveDisplay.Output(write: { screen.feed($0) }, width: { 60 }, style: .plain)
        return (LiveDisplay(interval: interval), screen, output)
    }

    @Test func testTheBlockIsRedrawnInPlaceAndCollapsesIntoResultLines() {
        let (live, screen, output) = display()
        screen.feed("deploysh> deploy\n")
        live.show(DeployEvent(.started, target: Self.web1, step: .copy), offersShowLog: true, on: output)
        live.show(DeployEvent(.started, target: Self.web2, step: .copy), offersShowLog: true, on: output)
        live.show(
            DeployEvent(.output, target: Self.web1, step: .copy, message: "copying 3 paths"),
            offersShowLog: true,
            on: output
        )
        #expect(screen.lines.count == 3, "\(screen.lines)")
        #expect(screen.lines[1].hasPrefix("- [web1.system] copy 0 s  copying 3 paths"), "\(screen.lines)")
        #expect(screen.lines[2].hasPrefix("- [web2.system] copy 0 s"), "\(screen.lines)")

        live.printAbove("warning: slow node\n", on: output)
        live.show(DeployEvent(.started, target: Self.web1, step: .confirm), offersShowLog: true, on: output)
        live.show(
            DeployEvent(.finished, target: Self.web1, step: .confirm, message: "generation 2"),
            offersShowLog: true,
            on: output
        )
        #expect(screen.lines.count == 4, "\(screen.lines)")
        #expect(screen.lines[1] == "warning: slow node")
        #expect(screen.lines[2].hasPrefix("[web1.system] confirm ok: generation 2 ("), "\(screen.lines)")
        #expect(screen.lines[3].hasPrefix("- [web2.system] copy "), "\(screen.lines)")

        live.finish(on: output)
        #expect(screen.lines.count == 4, "\(screen.lines)")
        #expect(screen.lines[3].hasPrefix("[web2.system] copy did not finish ("), "\(screen.lines)")
        #expect(screen.cursor == (4, 0))
        #expect(!live.isActive)
        // Nothing to collapse: a second finish writes nothing.
        let written = screen.writes
        live.finish(on: output)
        #expect(screen.writes == written)
    }

    @Test func testLinesEndingTheirRunLeaveNoBlockBehind() {
        let (live, screen, output) = display()
        live.show(DeployEvent(.started, node: "web1", step: .exec, message: "uptime"), offersShowLog: false, on: output)
        live.show(
            DeployEvent(.failed, node: "web1", step: .exec, message: "exit status 1"),
            offersShowLog: false,
            on: output
        )
        #expect(screen.lines.count == 1, "\(screen.lines)")
        #expect(screen.lines[0].hasPrefix("[web1] exec failed: exit status 1 ("), "\(screen.lines)")
        #expect(screen.cursor == (1, 0))
        #expect(!live.isActive)
    }

    @Test func testAPauseClearsTheBlockForAQuestionAndHoldsWhatCameMeanwhile() {
        let (live, screen, output) = display()
        live.show(DeployEvent(.started, target: Self.web1, step: .activate), offersShowLog: false, on: output)
        live.show(DeployEvent(.started, target: Self.web2, step: .activate), offersShowLog: false, on: output)
        live.pause(on: output)
        #expect(screen.lines.isEmpty, "\(screen.lines)")
        screen.feed("[sudo] password for web1: ")
        live.show(DeployEvent(.failed, target: Self.web2, step: .activate), offersShowLog: false, on: output)
        live.printAbove("warning: slow\n", on: output)
        #expect(screen.lines == ["[sudo] password for web1:"])
        screen.feed("\n")
        live.resume(on: output)
        #expect(screen.lines.count == 4, "\(screen.lines)")
        #expect(screen.lines[0] == "[sudo] password for web1:")
        #expect(screen.lines[1].hasPrefix("[web2.system] activate failed ("), "\(screen.lines)")
        #expect(screen.lines[2] == "warning: slow")
        #expect(screen.lines[3].contains("[web1.system] activate "), "\(screen.lines)")
        live.finish(on: output)
        #expect(screen.lines.last?.hasPrefix("[web1.system] activate did not finish") == true, "\(screen.lines)")
    }

    @Test(.timeLimit(.minutes(1))) func testTheTickerRedrawsWhileAStepRunsAndStopsAtTheEnd() async throws {
        let (live, screen, output) = display(interval: .milliseconds(10))
        live.show(DeployEvent(.started, target: Self.web1, step: .activate), offersShowLog: false, on: output)
        let first = screen.writes
        for _ in 0..<500 where screen.writes == first {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(screen.writes > first, "no redraw without an event")
        live.finish(on: output)
        let finished = screen.writes
        try await Task.sleep(for: .milliseconds(100))
        #expect(screen.writes == finished, "the ticker still draws after finish")
        #expect(screen.lines.count == 1 && screen.lines[0].hasPrefix("[web1.system] activate did not finish"))
    }
}

/// Just enough of a terminal: text, `\r`, `\n`, cursor up (`ESC[nA`), clear to the end of the
/// line (`ESC[K`) and of the screen (`ESC[J`); colours are ignored.
final class VirtualScreen: Sendable {
    private struct State {
        var rows: [[Character]] = [[]]
        var row = 0
        var column = 0
        var writes = 0
    }

    private let state = Mutex(State())

    /// The rows, without trailing blanks; the row the cursor sits on is dropped when empty.
    var lines: [String] {
        state.withLock { state in
            var rows = state.rows.map { row in String(row.reversed().drop { $0 == " " }.reversed()) }
            while rows.last == "" { rows.removeLast() }
            return rows
        }
    }

    var cursor: (Int, Int) { state.withLock { ($0.row, $0.column) } }
    var writes: Int { state.withLock { $0.writes } }

    func feed(_ text: String) {
        state.withLock { state in
            state.writes += 1
            var characters = Array(text)[...]
            while let character = characters.popFirst() {
                switch character {
                case "\r":
                    state.column = 0
                case "\n":
                    state.row += 1
                    state.column = 0
                    while state.rows.count <= state.row { state.rows.append([]) }
                case "\u{1B}":
                    guard characters.popFirst() == "[" else { continue }
                    var parameter = ""
                    while let next = characters.popFirst() {
                        if next.isNumber || next == ";" {
                            parameter.append(next)
                            continue
                        }
                        switch next {
                        case "A": state.row = max(0, state.row - (Int(parameter) ?? 1))
                        case "K": state.rows[state.row] = Array(state.rows[state.row].prefix(state.column))
                        case "J":
                            state.rows[state.row] = Array(state.rows[state.row].prefix(state.column))
                            state.rows.removeLast(state.rows.count - state.row - 1)
                        default: break
                        }
                        break
                    }
                default:
                    while state.rows[state.row].count < state.column { state.rows[state.row].append(" ") }
                    if state.column < state.rows[state.row].count {
                        state.rows[state.row][state.column] = character
                    } else {
                        state.rows[state.row].append(character)
                    }
                    state.column += 1
                }
            }
        }
    }
}
