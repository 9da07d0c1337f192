import ArgumentParser
import DeployKit

/// `build [--remote|--local] [TARGET...]`: builds the selected profiles.
package struct BuildCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the selected profiles (locally in one nix call, or on the targets).",
        discussion: "Example: build --remote web1.system"
    )

    @Flag(help: "Build on the target (as remoteBuild = true).") var remote = false
    @Flag(help: "Build locally even where remoteBuild is set.") var local = false
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if remote && local { throw ValidationError("--remote and --local cannot be used together") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        let options = DeployOptions(
            steps: .build,
            jobs: session.jobs ?? DeployOptions.defaultJobs,
            remoteBuild: remote ? true : (local ? false : nil)
        )
        let outcome = try await DeployRun.run(targets, options: options, in: session, command: "build")
        if let error = outcome.error { throw error }
        return StepReport(
            step: "build",
            targets: outcome.summary.targets.map {
                .init(
                    $0.ref,
                    result: session.remoteBuilt.contains($0.ref) ? "built on target" : "built",
                    storePath: $0.storePath
                )
            },
            failed: false
        )
    }
}
