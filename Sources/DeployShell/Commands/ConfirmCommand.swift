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

    /// Confirms every pending target named, nodes concurrently (bounded by `jobs`), each
    /// node's targets in order; every target is attempted even if another fails.
    ///
    /// - Returns: the summary, when every target ended confirmed.
    /// - Throws: ``DeployRunError`` once the summary is shown, when any target did not end
    ///   confirmed (its row says what the node did: rolled back, or unknown).
    package mutating func run(in session: Session) async throws -> any Report {
        let refs = try ConfirmCommand.pendingRefs(targets, in: session, command: "confirm")
        let pending = refs.compactMap { ref in
            session.ledger[ref]?.pending.map { (target: $0.target, pending: $0.activation) }
        }
        let plan = Planner.confirm(
            pending,
            jobs: session.settings.effectiveJobs,
            order: session.profileOrder(of: pending.map(\.target))
        )
        return try await session.execute(plan).summaryReport(command: "confirm")
    }

    /// The pending targets named (or all pending ones), or an error when there are none.
    @MainActor
    static func pendingRefs(_ words: [String], in session: Session, command: String) throws -> [ProfileRef] {
        let pendingOrder = session.ledger.pending.map(\.ref)
        if words.isEmpty {
            guard !pendingOrder.isEmpty else {
                throw SessionError.badArguments(command: command, message: "no activation is waiting for confirmation")
            }
            return pendingOrder
        }
        let refs = try SelectCommand.resolve(words, in: session)
        for ref in refs where session.ledger[ref]?.pending == nil {
            throw SessionError.badArguments(
                command: command,
                message: "'\(ref)' has no activation waiting for confirmation"
            )
        }
        return refs
    }
}
