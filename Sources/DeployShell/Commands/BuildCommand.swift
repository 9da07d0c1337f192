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
    @OptionGroup var builders: BuilderFlags
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if remote && local { throw ValidationError("--remote and --local cannot be used together") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        let options = DeployOptions(
            steps: .build,
            jobs: session.settings.effectiveJobs,
            remoteBuild: remote ? true : (local ? false : nil)
        )
        let result = try await session.run(
            try session.request(targets, options: options, command: "build"),
            builders: builders
        )
        try result.requireSuccess(command: "build")
        return StepReport(
            step: "build",
            targets: result.summary.targets.map {
                .init(
                    $0.ref,
                    result: session.ledger[$0.ref]?.isBuiltOnTarget == true ? "built on target" : "built",
                    storePath: $0.storePath
                )
            },
            failed: false
        )
    }
}
