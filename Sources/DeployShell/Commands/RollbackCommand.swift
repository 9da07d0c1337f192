import ArgumentParser
import DeployKit

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

    /// Rolls back every target named, nodes concurrently (bounded by `jobs`), each node's
    /// targets in order; every target is attempted even if another fails.
    ///
    /// - Throws: ``DeployRunError`` once the summary is shown, when any target was not rolled back.
    package mutating func run(in session: Session) async throws -> any Report {
        let refs: [ProfileRef]
        if targets.isEmpty, to == nil, session.pending.isEmpty == false {
            refs = session.targetOrder.filter { session.pending[$0] != nil }
        } else {
            refs = try SelectCommand.targets(targets, in: session, command: "rollback")
        }
        // Rolling back needs no build: the store path is known only for a pending activation.
        let items = try refs.map { ref in
            let pending = session.pending[ref]
            let target = DeployTarget(
                resolved: try session.resolve(ref),
                storePath: pending?.target.storePath ?? "",
                derivationPath: nil
            )
            return (target: target, pending: pending?.activation)
        }
        let plan = Planner.rollback(
            items,
            to: to,
            jobs: session.jobs ?? DeployOptions.defaultJobs,
            order: try DeployRun.profileOrder(of: items.map(\.target), in: session)
        )
        let outcome = try await DeployRun.run(plan, in: session)
        return try ConfirmCommand.summary(of: outcome, command: "rollback", in: session)
    }
}
