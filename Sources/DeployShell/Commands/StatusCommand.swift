import ArgumentParser
import DeployKit

/// `status`: what the session holds: flake, selection, overrides, and deployed targets.
package struct StatusCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the loaded flake, the selection, the overrides and deploy results."
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        StatusReport(
            flake: session.flake,
            nodes: session.config?.nodes.count,
            selection: session.selection,
            overrides: OverridesReport(session.settings.overrides).overrides,
            targets: session.deployStatus()
        )
    }
}

/// `{"flake","nodes","selection","overrides","targets":[..]}`.
package struct StatusReport: Report {
    var flake: String?
    var nodes: Int?
    var selection: [ProfileRef]
    var overrides: [String: String]
    var targets: [TargetStatus]

    package func text(style: TextStyle) -> String {
        var lines = ["flake:     \(flake ?? "(none loaded)")\(nodes.map { " (\($0) nodes)" } ?? "")"]
        lines.append(
            "selection: " + (selection.isEmpty ? "(none)" : selection.map(\.description).joined(separator: ", "))
        )
        if !overrides.isEmpty {
            lines.append(
                "overrides: " + overrides.keys.sorted().map { "\($0)=\(overrides[$0] ?? "")" }.joined(separator: ", ")
            )
        }
        if !targets.isEmpty {
            lines.append(
                Table(
                    header: ["TARGET", "STATE", "GENERATION", "STORE PATH"],
                    rows: targets.map {
                        [$0.target, $0.stateText, $0.generation.map(String.init) ?? "-", $0.storePath ?? "-"]
                    }
                ).render(style: style)
            )
        }
        return lines.joined(separator: "\n")
    }
}
