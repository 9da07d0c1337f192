import DeployKit
import Synchronization

/// Draws a ``LiveBoard`` on a terminal: redraws the block in place (cursor up, clear line),
/// prints permanent lines above it, and ticks while anything runs.
///
/// One per console, shared by every sink made from it, so all progress of a command lands in
/// one block; ``finish(on:)`` collapses it before the command's report is printed. Writes
/// happen under the lock, so concurrent targets never interleave half-drawn blocks.
package final class LiveDisplay: Sendable {
    /// Where the block goes: standard error's writer, its width, and the style.
    package struct Output: Sendable {
        package var write: @Sendable (String) -> Void
        package var width: @Sendable () -> Int
        package var style: TextStyle

        package init(
            write: @escaping @Sendable (String) -> Void,
            width: @escaping @Sendable () -> Int,
            style: TextStyle
        ) {
            self.write = write
            self.width = width
            self.style = style
        }
    }

    private struct State {
        var board = LiveBoard()
        /// Lines of the block on screen now, right above the cursor.
        var drawn = 0
        /// The cells each of those lines takes, and the terminal's width when they were drawn:
        /// after the window shrinks, a terminal that reflows (tmux, VTE, kitty, iTerm2) shows a
        /// line wider than the new width on several rows, and the cursor must go up all of them.
        var drawnCells: [Int] = []
        var drawnWidth = 0
        var ticker: Task<Void, Never>?
        /// Pauses in effect (a question is using the terminal): nothing is drawn.
        var pauses = 0
        /// Permanent lines that came during a pause, printed when it ends.
        var held: [String] = []
    }

    private let state = Mutex(State())
    private let origin = ContinuousClock.now
    /// How often the spinner and elapsed times are redrawn while a step runs.
    package let interval: Duration

    package init(interval: Duration = .milliseconds(150)) {
        self.interval = interval
    }

    /// Seconds since this display was made: the board's clock (monotonic).
    private var now: Double { (ContinuousClock.now - origin).seconds }

    /// Whether a block is on screen.
    package var isActive: Bool { state.withLock { $0.drawn > 0 || !$0.board.isEmpty } }

    /// Applies an event and redraws; starts the ticker when a step runs.
    ///
    /// - Parameter showsAllOutput: show a done target's whole activation output, not its last lines.
    package func show(_ event: DeployEvent, offersShowLog: Bool, showsAllOutput: Bool = false, on output: Output) {
        state.withLock { state in
            state.board.offersShowLog = offersShowLog
            state.board.showsAllOutput = showsAllOutput
            let permanent = state.board.apply(event, at: now, style: output.style)
            guard state.pauses == 0 else {
                state.held += permanent
                return
            }
            redraw(&state, permanent: permanent, on: output)
            startTicker(&state, on: output)
        }
    }

    /// Starts redrawing every `interval` while a step runs, unless that is already the case.
    private func startTicker(_ state: inout State, on output: Output) {
        guard state.board.isAnimated && state.ticker == nil else { return }
        state.ticker = Task { [interval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled || !self.tick(on: output) { return }
            }
        }
    }

    /// Prints `text` (whole lines) above the block, or as is when there is no block.
    package func printAbove(_ text: String, on output: Output) {
        state.withLock { state in
            guard state.drawn > 0 || !state.board.isEmpty else { return output.write(text) }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            guard state.pauses == 0 else {
                state.held += lines
                return
            }
            redraw(&state, permanent: lines, on: output)
        }
    }

    /// Collapses every line left into its result line and stops ticking: nothing stays live.
    package func finish(on output: Output) {
        state.withLock { state in
            state.ticker?.cancel()
            state.ticker = nil
            guard state.drawn > 0 || !state.board.isEmpty else { return }
            let permanent = state.board.finish(at: now, style: output.style)
            state.pauses = 0
            redraw(&state, permanent: state.held + permanent, on: output)
            state.held = []
        }
    }

    /// Clears the block and draws nothing until ``resume(on:)``, so a question (a sudo password)
    /// can use the terminal; events still update the board meanwhile.
    package func pause(on output: Output) {
        state.withLock { state in
            state.pauses += 1
            guard state.drawn > 0 else { return }
            output.write("\r\u{1B}[\(Self.rowsAbove(state, width: output.width()))A\u{1B}[J")
            state.drawn = 0
            state.drawnCells = []
        }
    }

    /// Ends a pause: prints what came meanwhile and draws the block again.
    package func resume(on output: Output) {
        state.withLock { state in
            state.pauses = max(0, state.pauses - 1)
            guard state.pauses == 0, !state.held.isEmpty || !state.board.isEmpty else { return }
            redraw(&state, permanent: state.held, on: output)
            state.held = []
            startTicker(&state, on: output)
        }
    }

    /// Draws the block again at once for the terminal's new width (SIGWINCH), unless a
    /// question holds the terminal or no block is drawn.
    package func redrawForNewWidth(on output: Output) {
        state.withLock { state in
            guard state.pauses == 0, state.drawn > 0 else { return }
            redraw(&state, permanent: [], on: output)
        }
    }

    /// One tick: redraws while something runs; returns `false` (and forgets the ticker) otherwise.
    private func tick(on output: Output) -> Bool {
        state.withLock { state in
            guard state.board.isAnimated else {
                state.ticker = nil
                return false
            }
            if state.pauses == 0 { redraw(&state, permanent: [], on: output) }
            return true
        }
    }

    /// Goes back to the block's first line, writes the permanent lines, then the block, each line
    /// cleared to its end, and clears what is left below (a shorter block).
    ///
    /// The width is asked at each redraw; a resized window (SIGWINCH) redraws at once
    /// (``redrawForNewWidth(on:)``): the block is drawn again for the new width from its first
    /// row, as the old width left it on screen.
    private func redraw(_ state: inout State, permanent: [String], on output: Output) {
        let width = output.width()
        let block = state.board.lines(at: now, width: width, style: output.style)
        var text = state.drawn > 0 ? "\r\u{1B}[\(Self.rowsAbove(state, width: width))A" : ""
        for line in permanent + block { text += line + "\u{1B}[K\n" }
        if state.drawn > 0 { text += "\u{1B}[J" }
        state.drawn = block.count
        state.drawnCells = block.map(TerminalCells.width(ofPainted:))
        state.drawnWidth = width
        output.write(text)
    }

    /// Rows from the block's first row down to the cursor, at terminal width `width`: one per
    /// line, or more for a line that no longer fits since the window shrank.
    private static func rowsAbove(_ state: State, width: Int) -> Int {
        guard width < state.drawnWidth, width > 0 else { return state.drawn }
        return state.drawnCells.reduce(0) { rows, cells in rows + max(1, (cells + width - 1) / width) }
    }
}
