import ArgumentParser
import DeployKit

/// `exec [TARGET...] -- COMMAND...`: runs a command on the selected nodes in parallel.
///
/// Each node runs the command once, whatever number of its profiles are selected, with the
/// ssh settings of its first selected profile; fails when any node fails. Output shows while
/// the command runs, once per stream (see ``ExecEventSink``): piped, as `[node]` lines on
/// standard output, followed by each node's status; on a terminal, as live lines, then whole in
/// the report; with `--json`, as output events, and in the report.
package struct ExecCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command on the selected nodes in parallel over ssh.",
        discussion: "Example: exec 'web*' -- systemctl is-active nginx"
    )

    @Option(help: "Nodes at once (default: `set jobs`, else 8).") var jobs: Int?
    @Argument(parsing: .captureForPassthrough, help: "[TARGET...] -- COMMAND [ARGUMENT...]")
    var words: [String] = []

    /// Targets: the words before `--` (none: the selection).
    var targets: [String] { Array(words.prefix { $0 != "--" }) }
    /// The command: the words after the first `--`.
    var command: [String] { Array(words.drop { $0 != "--" }.dropFirst()) }

    package init() {}

    package func validate() throws {
        if command.isEmpty { throw ValidationError("missing a command after `--` (exec web1 -- uptime)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        let refs = try SelectCommand.targets(targets, in: session, command: "exec")
        var seen = Set<String>()
        let profiles = try refs.filter { seen.insert($0.node).inserted }.map { try session.resolve($0) }
        let engine = try await session.services()
        let events = ExecEventSink(events: ConsoleEventSink(console: session.console))
        let exec = RemoteExec(runner: engine.runner, remote: engine.remote, events: events)
        let results = try await exec.run(
            command,
            on: profiles,
            jobs: jobs ?? session.settings.effectiveJobs
        )
        events.events.finish()
        return ExecReport(nodes: results.map(ExecReport.Node.init), outputShown: events.streamsOutput)
    }
}

/// `{"exec":[{"node","destination","exitCode","output","errors","connectionError"}],"ok":..}`.
package struct ExecReport: Report {
    struct Node: Encodable {
        var node: String
        var destination: String
        var exitCode: Int32?
        var output: String
        var errors: [String]
        var connectionError: String?

        init(_ result: RemoteExec.Result) {
            node = result.node
            destination = result.destination
            exitCode = result.exitCode
            output = result.standardOutput
            errors = result.standardErrorTail
            connectionError = result.connectionError
        }
    }

    var nodes: [Node]
    /// Whether each node's output was already printed on standard output while it ran (piped):
    /// the text then shows only the statuses. JSON always carries the output.
    var outputShown = false

    package var isFailure: Bool { nodes.contains { $0.exitCode != 0 } }

    /// `exec failed on 1 of 3 nodes: web2 (exit 1), db1 (not reached)`.
    package var failureMessage: String? {
        let failed = nodes.filter { $0.exitCode != 0 }
        let named = failed.map { node in
            "\(node.node) (" + (node.exitCode.map { "exit \($0)" } ?? "not reached") + ")"
        }
        return "exec failed on \(failed.count) of \(nodes.count) node\(nodes.count == 1 ? "" : "s"): "
            + named.joined(separator: ", ")
    }

    enum CodingKeys: String, CodingKey { case exec, ok }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodes, forKey: .exec)
        try container.encode(!isFailure, forKey: .ok)
    }

    package func text(style: TextStyle) -> String {
        nodes.map { node in
            let status =
                node.exitCode.map { $0 == 0 ? style.green("exit 0") : style.red("exit \($0)") }
                ?? style.red(node.connectionError ?? "failed")
            let lines =
                outputShown ? [] : node.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let body = (lines.last == "" ? lines.dropLast() : lines[...]).map { "[\(node.node)] " + Self.visible($0) }
            return (body + ["[\(node.node)] " + status]).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// A remote line with control characters made visible (`^[`), so output cannot drive the terminal.
    static func visible(_ line: String) -> String {
        var shown = ""
        for scalar in line.unicodeScalars {
            if (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F {
                shown += "^" + String(Character(Unicode.Scalar(UInt8(scalar.value ^ 0x40))))
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }
}
