import DeployKit

/// `exec`'s progress, with the remote output shown once, on the stream where it belongs.
///
/// The output of the remote command is the result, so it goes to standard output. When standard
/// error is not a terminal (CI logs, `2> log`) each line goes there as it is printed, as
/// `[node] line`, and the report then adds only each node's status; standard error keeps the
/// step lines (`exec 'hostname' ...`, `exec ok`). When it is one, the live lines there are drawn
/// over and collapse, and the report prints the output whole (`> out` gets it once); with
/// `--json` output lines are events on standard error and the report carries the output.
struct ExecEventSink: EventSink {
    var events: ConsoleEventSink

    /// Whether output lines go straight to standard output (no live block, no `--json`).
    var streamsOutput: Bool { !events.console.isJSON && !events.console.errorStyle.isTerminal }

    func emit(_ event: DeployEvent) {
        guard streamsOutput, event.kind == .output else { return events.emit(event) }
        let node = event.node ?? event.target ?? "all"
        events.console.writeOutput("[\(ExecReport.visible(node))] " + ExecReport.visible(event.message) + "\n")
    }
}
