import DeployKit

/// Where the shell's output goes, and how it should look; chosen by the executable.
///
/// Tests use a console that collects into strings, so the shell itself never touches
/// file descriptors or asks whether it runs on a terminal.
package struct Console: Sendable {
    /// How standard output looks (reports).
    package var style: TextStyle
    /// How standard error looks: progress, the live block, errors and notes. The live block is
    /// drawn only when standard error itself is a terminal, whatever standard output is.
    package var errorStyle: TextStyle
    package var isJSON: Bool
    package var writeOutput: @Sendable (String) -> Void
    package var writeError: @Sendable (String) -> Void
    /// The columns of the terminal standard error is on, asked at each redraw of the live block.
    package var terminalWidth: @Sendable () -> Int = { 80 }
    /// Whether `show-log` can be typed where this console is used (not in the one-shot CLI).
    package var offersShowLog = true
    /// Where errors are read, so each hint names a step that can be taken there.
    package var face: Face = .shell
    /// The live progress block on a terminal, shared by every copy of this console (and every
    /// event sink made from it), so a command's progress lands in one block.
    package let live: LiveDisplay
    /// The command whose results are being printed, for `--json`'s `command` and `location`.
    package let origin = ResultOrigin()

    package init(
        style: TextStyle = .plain,
        errorStyle: TextStyle? = nil,
        isJSON: Bool = false,
        liveInterval: Duration = .milliseconds(150),
        writeOutput: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void
    ) {
        self.live = LiveDisplay(interval: liveInterval)
        self.style = style
        self.errorStyle = errorStyle ?? style
        self.isJSON = isJSON
        self.writeOutput = writeOutput
        self.writeError = writeError
    }

    /// Prints a command's result: one JSON line, or its text rendering.
    package func show(_ report: any Report) {
        finishLive()
        if isJSON {
            writeOutput(JSONRenderer.line(report, origin: origin.value) + "\n")
        } else {
            let text = report.text(style: style)
            if !text.isEmpty { writeOutput(text.hasSuffix("\n") ? text : text + "\n") }
        }
    }

    /// Prints an error on standard error, located when it came from a script.
    package func show(_ error: any Error, location: SourceLocation?) {
        finishLive()
        if isJSON {
            writeError(JSONRenderer.error(error, location: location, command: origin.value?.command, face: face) + "\n")
        } else {
            writeError(DiagnosticPrinter.text(error, location: location, style: errorStyle, face: face) + "\n")
        }
    }

    /// Prints a failed command's report (when it carries one, see ``ReportedFailure``) and its error.
    ///
    /// - Returns: the error that ended the command (the cause of a ``ReportedFailure``).
    @discardableResult
    package func showFailure(_ error: any Error, location: SourceLocation?) -> any Error {
        guard let failure = error as? ReportedFailure else {
            show(error, location: location)
            return error
        }
        show(failure.report)
        show(failure.cause, location: location)
        return failure.cause
    }

    /// Prints a side note (timings) on standard error.
    package func note(_ message: String) {
        writeAboveLive((isJSON ? JSONRenderer.line(["note": message]) : DisplayText.visible(message)) + "\n")
    }

    /// Prints a warning that does not stop anything.
    package func warn(_ message: String) {
        if isJSON {
            writeError(JSONRenderer.line(["warning": message]) + "\n")
        } else {
            writeAboveLive(errorStyle.yellow("warning:") + " " + DisplayText.visible(message) + "\n")
        }
    }

    // MARK: - Live progress

    /// Where the live block draws: standard error, at the terminal's width.
    var liveOutput: LiveDisplay.Output {
        LiveDisplay.Output(write: writeError, width: terminalWidth, style: errorStyle)
    }

    /// Draws the live block again for the terminal's new width (the window was resized).
    package func redrawLive() {
        if errorStyle.isTerminal && !isJSON { live.redrawForNewWidth(on: liveOutput) }
    }

    /// Collapses the live progress block into result lines, so a report never lands inside it.
    package func finishLive() {
        if errorStyle.isTerminal && !isJSON { live.finish(on: liveOutput) }
    }

    /// Runs `body` (a question on the terminal) with the live block cleared and held.
    package func withLivePaused<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        guard errorStyle.isTerminal && !isJSON else { return try await body() }
        live.pause(on: liveOutput)
        defer { live.resume(on: liveOutput) }
        return try await body()
    }

    /// Writes whole lines on standard error, above the live block when one is drawn.
    private func writeAboveLive(_ text: String) {
        if errorStyle.isTerminal && !isJSON {
            live.printAbove(text, on: liveOutput)
        } else {
            writeError(text)
        }
    }
}
