import ArgumentParser
import DeployKit

/// `plan [TARGET...]`: what would be deployed where; evaluates only the selected paths.
package struct PlanCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Evaluate the selected profiles' store paths and show where each would go.",
        discussion: "Example: select web1; plan"
    )

    @Argument(help: "Targets; default: the selection.")
    var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let request = try session.request(targets, options: DeployOptions(), command: "plan")
        let prepared = try await session.deployment().prepare(request, loaded: session.loaded, planning: false)
        let cache = session.settings.cache
        return PlanReport(targets: prepared.targets.map { PlanReport.Row($0, cache: cache) })
    }
}

/// `{"targets":[{"node","profile","hostname","profilePath","storePath"}]}`.
package struct PlanReport: Report {
    struct Row: Encodable {
        var node: String
        var profile: String
        var hostname: String
        var profilePath: String
        var storePath: String
        /// How the closure would reach the node.
        var copy: CopyPath

        init(_ target: DeployTarget, cache: CacheOptions) {
            node = target.resolved.node
            profile = target.resolved.profile
            hostname = target.resolved.hostname
            profilePath = target.resolved.location.displayPath
            storePath = target.storePath
            copy = CopyPath(target.resolved, cache: cache)
        }
    }
    var targets: [Row]

    package func text(style: TextStyle) -> String {
        Table(
            header: ["NODE", "PROFILE", "HOSTNAME", "PROFILE PATH", "STORE PATH", "COPY"],
            rows: targets.map { [$0.node, $0.profile, $0.hostname, $0.profilePath, $0.storePath, $0.copy.text] }
        ).render(style: style)
    }
}
