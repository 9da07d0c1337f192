import ArgumentParser
import DeployKit

/// `copy [TARGET...]`: copies built closures to their targets (skipped after a remote build).
package struct CopyCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the built profiles to their targets (nix copy over ssh).",
        discussion: "Example: copy web1.system"
    )

    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let options = DeployOptions(steps: .copy, jobs: session.settings.effectiveJobs)
        let result = try await session.run(try session.request(targets, options: options, command: "copy"))
        try result.requireSuccess(command: "copy")
        let planned = Set(result.plan.targets.filter { $0.steps.contains(.copy) }.map(\.ref))
        return StepReport(
            step: "copy",
            targets: result.summary.targets.map {
                planned.contains($0.ref)
                    ? .init($0.ref, result: "copied", storePath: $0.storePath)
                    : .init($0.ref, result: "skipped", message: "built on the target")
            },
            failed: false
        )
    }
}
