/// A staged rollout stopped after a batch of `rollout.pauseAfter`: the plan, the record of
/// every target so far, and the batch it stopped after. ``Executor/resume(_:)`` runs the next
/// batches with the same plan, options and budget; ``Executor/abort(_:)`` ends it.
package struct PausedRollout: Sendable {
    package let plan: DeployPlan
    let record: FleetRecord
    /// The batch (from 0) that was done when the rollout paused.
    package let batch: Int

    init(plan: DeployPlan, record: FleetRecord, batch: Int) {
        self.plan = plan
        self.record = record
        self.batch = batch
    }

    /// Every target so far (those of the batches not run yet are `waiting`).
    package var summary: DeploySummary { record.summary(cancelled: false) }

    /// The nodes of the batches done whose every target ended as asked (confirmed).
    package var deployedNodeCount: Int {
        let rows = Dictionary(summary.targets.map { ($0.ref, $0) }, uniquingKeysWith: { first, _ in first })
        return plan.batches.prefix(batch + 1).joined().filter { node in
            node.targets.allSatisfy { rows[$0.ref]?.state.isSuccess == true }
        }.count
    }

    /// The nodes of the batches after this one, in deploy order: nothing on them changed yet.
    package var waitingNodes: [String] {
        plan.batches.dropFirst(batch + 1).joined().map(\.name)
    }
}

/// Where a run of the executor stands: ended with its summary, or paused between batches.
package enum RolloutProgress: Sendable {
    case finished(DeploySummary)
    case paused(PausedRollout)
}
