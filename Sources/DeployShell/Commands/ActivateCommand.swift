import ArgumentParser
import DeployKit

/// `activate [--dry-activate|--boot] [--no-confirm] [TARGET...]`: activates copied profiles.
package struct ActivateCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Activate the selected profiles on their targets (auto and magic rollback apply).",
        discussion: "Example: activate --no-confirm web1.system; status; confirm"
    )

    @Flag(help: "Check the activation without changing the profile.") var dryActivate = false
    @Flag(help: "Set the profile and activate for the next boot.") var boot = false
    @Flag(help: "Return with the magic rollback armed; `confirm` or `rollback` later.") var noConfirm = false
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if dryActivate && boot { throw ValidationError("--dry-activate and --boot cannot be used together") }
    }

    var mode: ActivationMode { dryActivate ? .dryActivate : (boot ? .boot : .switch) }

    package mutating func run(in session: Session) async throws -> any Report {
        // A step command does what it says and no more: a failure rolls nothing else back.
        let options = DeployOptions(
            steps: .activate,
            mode: mode,
            confirm: !noConfirm,
            jobs: session.settings.effectiveJobs,
            rollbackSucceeded: false
        )
        let result = try await session.run(try session.request(targets, options: options, command: "activate"))
        try result.requireSuccess(command: "activate")
        return StepReport(step: "activate", targets: result.summary.targets.map(Self.row), failed: false)
    }

    /// The report row of one activated target.
    static func row(_ record: TargetRecord) -> StepReport.Row {
        switch record.state {
        case .dryActivated:
            return .init(record.ref, result: "dry-activated", message: "profile unchanged")
        case .pendingConfirm:
            return .init(
                record.ref,
                result: "pending",
                generation: record.generationAfter,
                message: "run `confirm` before the magic rollback fires"
            )
        default:
            return .init(
                record.ref,
                result: "activated",
                generation: record.generationAfter,
                storePath: record.storePath
            )
        }
    }
}
