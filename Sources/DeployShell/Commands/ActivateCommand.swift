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
        let deployTargets = try await PlanCommand.evaluate(targets, in: session, command: "activate")
        let engine = try await Engine(session: session)
        var rows: [StepReport.Row] = []
        for target in deployTargets {
            rows.append(
                try await Self.activate(target, mode: mode, confirm: !noConfirm, engine: engine, session: session)
            )
        }
        return StepReport(step: "activate", targets: rows, failed: false)
    }

    /// Activates one target and records where it ends up, also when that throws.
    @MainActor
    package static func activate(
        _ target: DeployTarget,
        mode: ActivationMode,
        confirm: Bool,
        engine: Engine,
        session: Session
    ) async throws -> StepReport.Row {
        let ref = target.ref
        do {
            let outcome = try await engine.activation.activate(target, mode: mode, confirm: confirm)
            return record(outcome, target: target, session: session)
        } catch let error as DeployError {
            let state = error.state == .rolledBack ? "rolled back" : "failed (\(error.step.rawValue))"
            session.pending[ref] = nil
            // Say exactly where the target is now; if the host cannot be asked, say nothing.
            let now = try? await engine.activation.current(target.resolved)
            session.record(TargetStatus(ref: ref, state: state, generation: now?.generation, storePath: now?.storePath))
            throw error
        }
    }

    /// Records an activation outcome in the session and returns its report row.
    @MainActor
    package static func record(_ outcome: ActivationOutcome, target: DeployTarget, session: Session) -> StepReport.Row {
        let ref = target.ref
        switch outcome {
        case .activated(let generation):
            session.pending[ref] = nil
            session.record(TargetStatus(ref: ref, state: "active", generation: generation, storePath: target.storePath))
            return .init(ref, result: "activated", generation: generation, storePath: target.storePath)
        case .dryActivated:
            return .init(ref, result: "dry-activated", message: "profile unchanged")
        case .pending(let pending):
            session.pending[ref] = PendingTarget(target: target, activation: pending)
            var status = TargetStatus(
                ref: ref,
                state: "awaiting confirm",
                generation: pending.generation,
                storePath: target.storePath
            )
            status.confirmDeadline = pending.deadline
            session.record(status)
            return .init(
                ref,
                result: "pending",
                generation: pending.generation,
                message: "run `confirm` within \(target.resolved.settings.confirmTimeout) s"
            )
        case .rolledBack(let generation, let reason):
            session.pending[ref] = nil
            session.record(TargetStatus(ref: ref, state: "rolled back", generation: generation))
            return .init(ref, result: "rolled back", generation: generation, message: reason)
        }
    }
}
