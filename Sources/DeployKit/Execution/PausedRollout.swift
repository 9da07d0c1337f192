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

    /// Every target so far (the batches not run yet are `built` or `planned`).
    package var summary: DeploySummary { record.summary(cancelled: false) }
}

/// Where a run of the executor stands: ended with its summary, or paused between batches.
package enum RolloutProgress: Sendable {
    case finished(DeploySummary)
    case paused(PausedRollout)
}
