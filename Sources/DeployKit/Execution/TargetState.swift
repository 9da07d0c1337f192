/// Where one target of a deploy stands, as a typed value.
///
/// It exists so that nothing decides what happened to a target by reading message text
/// (docs/ARCHITECTURE.md, the target states). The raw value is what people read in `status`
/// and summaries.
package enum TargetState: String, Sendable, Hashable, Codable, CaseIterable {
    case planned
    case built
    case copied
    case activated
    case pendingConfirm = "pending confirm"
    case confirmed
    case dryActivated = "dry-activated"
    case rolledBack = "rolled back"
    case rollbackFailed = "rollback failed"
    case failed
    case notStarted = "not started"
    /// A staged rollout paused before this target's batch: `resume` deploys it, `abort` leaves
    /// it untouched (then it is `not started`).
    case waiting
    /// A `preDeployChecks` check failed: nothing on the node was changed.
    case skipped
    /// A health check failed and nothing rolled the target back (no magic or auto rollback).
    case unhealthy
    /// The deployer lost contact and cannot tell where the node is (truth rule).
    case unknown

    /// Whether the target ended as a deploy asked (confirmed, or dry-activated when asked to).
    package var isSuccess: Bool { self == .confirmed || self == .activated || self == .dryActivated }
}
