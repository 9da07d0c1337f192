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
        if targets.isEmpty, to == nil, !session.ledger.pending.isEmpty {
            refs = session.ledger.pending.map(\.ref)
        } else {
            refs = try SelectCommand.targets(targets, in: session, command: "rollback")
        }
        // Rolling back needs no build: the store path is known only for a pending activation.
        let items = try refs.map { ref in
            let pending = session.ledger[ref]?.pending
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
            jobs: session.settings.effectiveJobs,
            order: session.profileOrder(of: items.map(\.target))
        )
        return try await session.execute(plan).summaryReport(command: "rollback")
    }
}
