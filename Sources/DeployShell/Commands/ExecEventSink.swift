import DeployKit

/// `exec`'s progress, with the remote output shown once, on the stream where it belongs.
///
/// The output of the remote command is the result, so it goes to standard output. Off a terminal
/// (`deploysh -c 'exec -- hostname' > out`, CI logs) each line goes there as it is printed, as
/// `[node] line`, and the report then adds only each node's status; standard error keeps the
/// step lines (`exec 'hostname' ...`, `exec ok`). On a terminal the live lines on standard error
/// are drawn over and collapse, and the report prints the output whole; with `--json` output
/// lines are events on standard error and the report carries the output.
struct ExecEventSink: EventSink {
    var events: ConsoleEventSink

    /// Whether output lines go straight to standard output (off a terminal, without `--json`).
    var streamsOutput: Bool { !events.console.isJSON && !events.console.style.isTerminal }

    func emit(_ event: DeployEvent) {
        guard streamsOutput, event.kind == .output else { return events.emit(event) }
        let node = event.node ?? event.target ?? "all"
        events.console.writeOutput("[\(ExecReport.visible(node))] " + ExecReport.visible(event.message) + "\n")
    }
}
