import ArgumentParser
import DeployKit

/// `confirm [TARGET...]`: confirms pending activations over a new ssh connection.
package struct ConfirmCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Confirm activations left pending by `activate --no-confirm`.",
        discussion: "Example: confirm web1.system"
    )

    @Argument(help: "Targets; default: every pending activation.") var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let refs = try ConfirmCommand.pendingRefs(targets, in: session, command: "confirm")
        let engine = try await Engine(session: session)
        var rows: [StepReport.Row] = []
        for ref in refs {
            guard let pending = session.pending[ref] else { continue }
            do {
                let outcome = try await engine.activation.confirm(pending.target, pending: pending.activation)
                rows.append(ActivateCommand.record(outcome, target: pending.target, session: session))
            } catch let error as DeployError {
                session.pending[ref] = nil
                session.record(TargetStatus(ref: ref, state: error.state, generation: error.generation))
                throw error
            }
        }
        return StepReport(step: "confirm", targets: rows, failed: false)
    }

    /// The pending targets named (or all pending ones), or an error when there are none.
    @MainActor
    static func pendingRefs(_ words: [String], in session: Session, command: String) throws -> [ProfileRef] {
        let pendingOrder = session.targetOrder.filter { session.pending[$0] != nil }
        if words.isEmpty {
            guard !pendingOrder.isEmpty else {
                throw SessionError.badArguments(command: command, message: "no activation is waiting for confirmation")
            }
            return pendingOrder
        }
        let refs = try SelectCommand.resolve(words, in: session)
        for ref in refs where session.pending[ref] == nil {
            throw SessionError.badArguments(
                command: command,
                message: "'\(ref)' has no activation waiting for confirmation"
            )
        }
        return refs
    }
}

/// `rollback [--to GEN] [TARGET...]`: rolls back now (a pending activation, or a generation).
package struct RollbackCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll back: a pending activation now, or to a generation (default: the previous one).",
        discussion: "Example: rollback --to 3 web1.system"
    )

    @Option(help: "The generation to switch to.") var to: Int?
    @Argument(help: "Targets; default: pending activations, else the selection.") var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let refs: [ProfileRef]
        if targets.isEmpty, to == nil, session.pending.isEmpty == false {
            refs = session.targetOrder.filter { session.pending[$0] != nil }
        } else {
            refs = try SelectCommand.targets(targets, in: session, command: "rollback")
        }
        let engine = try await Engine(session: session)
        var rows: [StepReport.Row] = []
        for ref in refs {
            let profile = try session.resolve(ref)
            let pending = to == nil ? session.pending[ref]?.activation : nil
            let outcome = try await engine.activation.rollback(profile, pending: pending, generation: to)
            session.pending[ref] = nil
            if case .rolledBack(let generation, _) = outcome {
                session.record(TargetStatus(ref: ref, state: .rolledBack, generation: generation))
                rows.append(.init(ref, result: "rolled back", generation: generation))
            }
        }
        return StepReport(step: "rollback", targets: rows, failed: false)
    }
}
