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
            session.pending[ref].map { (target: $0.target, pending: $0.activation) }
        }
        let plan = Planner.confirm(
            pending,
            jobs: session.jobs ?? DeployOptions.defaultJobs,
            order: try DeployRun.profileOrder(of: pending.map(\.target), in: session)
        )
        let outcome = try await DeployRun.run(plan, in: session)
        return try Self.summary(of: outcome, command: "confirm", in: session)
    }

    /// The summary report of a step command's run; when a target did not end as asked, shows
    /// it and throws the run's error (as `deploy` does).
    @MainActor
    static func summary(of outcome: DeployRun.Outcome, command: String, in session: Session) throws -> any Report {
        let report = DeploySummaryReport(outcome.summary, ok: outcome.error == nil, command: command)
        guard let error = outcome.error else { return report }
        session.console.show(report)
        if outcome.summary.wasCancelled { throw CancellationError() }
        throw error
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
