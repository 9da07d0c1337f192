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
        let deployTargets = try await Self.evaluate(targets, in: session, command: "plan")
        return PlanReport(targets: deployTargets.map(PlanReport.Row.init))
    }

    /// Resolves and evaluates targets (explicit or selected) for the write-side commands.
    @MainActor
    package static func evaluate(_ words: [String], in session: Session, command: String) async throws -> [DeployTarget]
    {
        let refs = try SelectCommand.targets(words, in: session, command: command)
        let resolved = try refs.map { try session.resolve($0) }
        let evaluator = FlakeEvaluator(runner: session.runner, nix: session.evaluationNix)
        return try await ProfileEvaluator(evaluator: evaluator, scratchDirectory: session.environment.runtimeDirectory)
            .evaluate(resolved, flake: try session.requireFlake())
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

        init(_ target: DeployTarget) {
            node = target.resolved.node
            profile = target.resolved.profile
            hostname = target.resolved.hostname
            profilePath = target.resolved.location.displayPath
            storePath = target.storePath
        }
    }
    var targets: [Row]

    package func text(style: TextStyle) -> String {
        Table(
            header: ["NODE", "PROFILE", "HOSTNAME", "PROFILE PATH", "STORE PATH"],
            rows: targets.map { [$0.node, $0.profile, $0.hostname, $0.profilePath, $0.storePath] }
        ).render(style: style)
    }
}
