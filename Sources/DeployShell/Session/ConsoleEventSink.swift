import DeployKit

/// Renders engine progress: per target and step, coloured on a terminal, plain when piped,
/// and one JSON object per event on standard error with `--json`.
package struct ConsoleEventSink: EventSink {
    package var console: Console

    package init(console: Console) {
        self.console = console
    }

    package func emit(_ event: DeployEvent) {
        if console.isJSON {
            console.writeError(JSONRenderer.line(["event": event]) + "\n")
            return
        }
        let style = console.style
        let target = event.target.map { "[\($0)] " } ?? "[all] "
        switch event.kind {
        case .output:
            console.writeError(style.dim(target + "  " + event.message) + "\n")
        case .started:
            console.writeError(
                target + style.bold(event.step.rawValue) + (event.message.isEmpty ? "" : " " + event.message) + " ...\n"
            )
        case .finished:
            console.writeError(
                target + style.green(event.step.rawValue + " ok") + (event.message.isEmpty ? "" : ": " + event.message)
                    + "\n"
            )
        case .failed:
            console.writeError(
                target + style.red(event.step.rawValue + " failed")
                    + (event.message.isEmpty ? "" : ": " + event.message) + "\n"
            )
        case .waiting:
            console.writeError(target + style.yellow(event.message) + "\n")
        }
    }
}
