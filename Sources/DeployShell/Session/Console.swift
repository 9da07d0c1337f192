import DeployKit

/// Where the shell's output goes, and how it should look; chosen by the executable.
///
/// Tests use a console that collects into strings, so the shell itself never touches
/// file descriptors or asks whether it runs on a terminal.
package struct Console: Sendable {
    package var style: TextStyle
    package var isJSON: Bool
    package var writeOutput: @Sendable (String) -> Void
    package var writeError: @Sendable (String) -> Void

    package init(
        style: TextStyle = .plain,
        isJSON: Bool = false,
        writeOutput: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void
    ) {
        self.style = style
        self.isJSON = isJSON
        self.writeOutput = writeOutput
        self.writeError = writeError
    }

    /// Prints a command's result: one JSON line, or its text rendering.
    package func show(_ report: any Report) {
        if isJSON {
            writeOutput(JSONRenderer.line(report) + "\n")
        } else {
            let text = report.text(style: style)
            if !text.isEmpty { writeOutput(text.hasSuffix("\n") ? text : text + "\n") }
        }
    }

    /// Prints an error on standard error, located when it came from a script.
    package func show(_ error: any Error, location: SourceLocation?) {
        if isJSON {
            writeError(JSONRenderer.error(error, location: location) + "\n")
        } else {
            writeError(DiagnosticPrinter.text(error, location: location, style: style) + "\n")
        }
    }

    /// Prints a side note (timings) on standard error.
    package func note(_ message: String) {
        writeError((isJSON ? JSONRenderer.line(["note": message]) : DisplayText.visible(message)) + "\n")
    }

    /// Prints a warning that does not stop anything.
    package func warn(_ message: String) {
        if isJSON {
            writeError(JSONRenderer.line(["warning": message]) + "\n")
        } else {
            writeError(style.yellow("warning:") + " " + DisplayText.visible(message) + "\n")
        }
    }
}
