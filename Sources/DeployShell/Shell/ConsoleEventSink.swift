import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Renders engine progress: per target and step, coloured on a terminal, plain timestamped
/// lines when piped, and one JSON object per event on standard error with `--json`.
///
/// On a terminal, each running target has one live line (step, elapsed time, spinner, the last
/// line of its output, dimmed) that collapses into a result line when the target is done (see
/// ``LiveBoard``); piped, every line is kept, timestamped and prefixed by target.
package struct ConsoleEventSink: EventSink {
    package var console: Console
    /// Keeps each target's activation output for `show-log`, when given.
    package var activationLogs: ActivationLogs?
    /// Follows what each node is doing, for a second Ctrl-C, when given.
    package var nodeWork: NodeWork?
    /// Whether a done target's whole activation output is shown on a terminal (`--show-output`),
    /// not only its last lines. Piped, every output line is printed anyway.
    package var showsAllOutput = false

    package init(
        console: Console,
        activationLogs: ActivationLogs? = nil,
        nodeWork: NodeWork? = nil,
        showsAllOutput: Bool = false
    ) {
        self.console = console
        self.activationLogs = activationLogs
        self.nodeWork = nodeWork
        self.showsAllOutput = showsAllOutput
    }

    package func emit(_ event: DeployEvent) {
        if event.kind == .warning {
            // A target's warning names it (a fallback from the cache, say); others concern the run.
            console.warn((event.target.map { "\($0): " } ?? "") + event.message)
            return
        }
        activationLogs?.record(event)
        nodeWork?.record(event)
        if console.isJSON {
            console.writeError(JSONRenderer.line(StepEventLine(event)) + "\n")
            return
        }
        let style = console.errorStyle
        if style.isTerminal {
            console.live.show(
                event,
                offersShowLog: activationLogs != nil && console.offersShowLog,
                showsAllOutput: showsAllOutput,
                on: console.liveOutput
            )
            return
        }
        if let batch = event.batch {
            console.writeError(Self.clock(event.time) + " " + style.bold(batch.line) + "\n")
            return
        }
        // Messages carry remote output: control characters are shown, never interpreted.
        let text = DisplayText.visible(event.message)
        let target = event.target.map { "[\(DisplayText.visible($0))] " } ?? "[all] "
        let detail = text.isEmpty ? "" : ": " + text
        let time = Self.clock(event.time) + " "
        switch event.kind {
        case .output:
            console.writeError(time + target + "  " + text + "\n")
        case .started:
            let started = text.isEmpty ? "" : " " + text
            console.writeError(time + target + style.bold(event.step.rawValue) + started + " ...\n")
        case .finished:
            console.writeError(time + target + style.green(event.step.rawValue + " ok") + detail + "\n")
        case .failed:
            console.writeError(time + target + style.red(event.step.rawValue + " failed") + detail + "\n")
        case .waiting:
            console.writeError(time + target + style.yellow(text) + "\n")
        case .warning:
            break  // shown by `console.warn` above
        }
    }

    /// Collapses the live block (a terminal's) into result lines; call it before the command's
    /// report or summary is printed, so nothing is left drawn.
    package func finish() {
        console.finishLive()
    }

    /// `HH:MM:SS.mmm` (UTC) of a timestamp, for piped progress lines.
    static func clock(_ time: Double) -> String {
        let milliseconds = Int((time * 1000).rounded(.down))
        let day = milliseconds % 86_400_000
        let hours = day / 3_600_000
        let minutes = day / 60_000 % 60
        let seconds = day / 1000 % 60
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return padded(hours, 2) + ":" + padded(minutes, 2) + ":" + padded(seconds, 2) + "." + padded(day % 1000, 3)
    }
}

/// One progress event as JSON: `{"event":"step","time","node","profile","target","step","status","message"}`
/// for a step change, `{"event":"output",...,"line"}` for a line of output.
struct StepEventLine: Encodable {
    var event: String
    var time: Double
    var node: String?
    var profile: String?
    var target: String?
    var step: String
    var status: String?
    var message: String?
    var line: String?
    /// `{"event":"batch","index","nodes","status"}` for a batch of a staged rollout.
    var index: Int?
    var nodes: [String]?
    /// `{"event":"health","node","profile","check","attempt","ok","detail"}` for a check attempt.
    var check: String?
    var attempt: Int?
    var ok: Bool?
    var detail: String?

    init(_ event: DeployEvent) {
        self.event = event.kind == .output ? "output" : (event.status == nil ? "note" : "step")
        if let batch = event.batch {
            self.event = "batch"
            time = event.time
            step = event.step.rawValue
            index = batch.index
            nodes = batch.nodes
            status = batch.status
            return
        }
        if let health = event.health {
            self.event = "health"
            check = health.check
            attempt = health.attempt
            ok = health.isHealthy
            detail = health.detail
        }
        time = event.time
        node = event.node
        profile = event.profile
        target = event.target
        step = event.step.rawValue
        status = event.status
        if event.kind == .output {
            line = event.message
        } else if !event.message.isEmpty {
            message = event.message
        }
    }
}
