import DeployKit
import Synchronization

/// Renders engine progress: per target and step, coloured on a terminal, plain when piped,
/// and one JSON object per event on standard error with `--json`.
///
/// On a terminal, the output of a running step (build logs, activation output) shows on one
/// transient line that the next event replaces; piped, every line is kept.
package struct ConsoleEventSink: EventSink {
    package var console: Console
    private let transient = TransientLine()

    package init(console: Console) {
        self.console = console
    }

    package func emit(_ event: DeployEvent) {
        if console.isJSON {
            console.writeError(JSONRenderer.line(["event": event]) + "\n")
            return
        }
        let style = console.style
        // Messages carry remote output: control characters are shown, never interpreted.
        let message = DisplayText.visible(event.message)
        let target = event.target.map { "[\(DisplayText.visible($0))] " } ?? "[all] "
        let detail = message.isEmpty ? "" : ": " + message
        if event.kind == .output {
            if style.isTerminal {
                let line = String((target + message).prefix(110))
                transient.show { console.writeError("\r\u{1B}[K" + style.dim(line)) }
            } else {
                console.writeError(target + "  " + message + "\n")
            }
            return
        }
        if style.isTerminal { transient.clear { console.writeError("\r\u{1B}[K") } }
        switch event.kind {
        case .started:
            let started = message.isEmpty ? "" : " " + message
            console.writeError(target + style.bold(event.step.rawValue) + started + " ...\n")
        case .finished:
            console.writeError(target + style.green(event.step.rawValue + " ok") + detail + "\n")
        case .failed:
            console.writeError(target + style.red(event.step.rawValue + " failed") + detail + "\n")
        case .waiting, .output:
            console.writeError(target + style.yellow(message) + "\n")
        }
    }
}

/// Whether a transient progress line is on screen, shared by every copy of the sink.
private final class TransientLine: Sendable {
    private let isShown = Mutex(false)

    func show(_ write: () -> Void) {
        isShown.withLock { shown in
            write()
            shown = true
        }
    }

    func clear(_ write: () -> Void) {
        isShown.withLock { shown in
            if shown { write() }
            shown = false
        }
    }
}
