import ArgumentParser
import DeployKit

/// `nodes`: one row per node with its hostname, profiles in deploy order and ssh user.
package struct NodesCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "List the nodes, their hostnames and profiles in deploy order."
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let config = try session.requireConfig()
        let overrides = session.settings.overrides
        return NodesReport(
            nodes: config.nodes.map { node in
                // Only sshUser is shown: its precedence alone, not a full merge per node (1000s of nodes).
                let sshUser = overrides.settings.sshUser ?? node.settings.sshUser ?? config.settings.sshUser
                return .init(
                    name: node.name,
                    hostname: overrides.hostname ?? node.hostname,
                    profiles: node.profiles.map { $0.name },
                    sshUser: sshUser ?? session.environment.localUser
                )
            }
        )
    }
}

/// The `nodes` table.
package struct NodesReport: Report {
    struct Row: Encodable {
        var name: String
        var hostname: String?
        var profiles: [String]
        var sshUser: String
    }
    var nodes: [Row]

    package func text(style: TextStyle) -> String {
        if nodes.isEmpty { return "no nodes" }
        return Table(
            header: ["NODE", "HOSTNAME", "PROFILES", "SSH USER"],
            rows: nodes.map { [$0.name, $0.hostname ?? "-", $0.profiles.joined(separator: ", "), $0.sshUser] }
        ).render(style: style)
    }
}
