/// What one deploy did to one target: its state, the generation before and after, and the error.
///
/// The executor keeps one per target while it runs; the summary is the list of them.
/// States come from outcomes and ``DeployError/state``, never from message text.
package struct TargetRecord: Sendable, Hashable {
    package var ref: ProfileRef
    package var state: TargetState
    /// The generation the profile was on before this deploy changed anything (`nil`: none, or not read).
    package var generationBefore: Int?
    /// Whether `generationBefore` was read from the node (so `nil` means "no generation").
    package var beforeWasRead: Bool
    /// The generation the profile is on now, as last reported by the node.
    package var generationAfter: Int?
    package var storePath: String
    /// The armed magic rollback, while the target waits for its confirmation.
    package var pending: PendingActivation?
    /// The id of this run's activation on the node, once it started (its watchdog answers to it).
    package var activationID: String?
    /// Why the target is not where the deploy wanted it; `nil` on success.
    package var error: DeployError?
    /// The batch of a staged rollout the target's node was in (from 0); `nil` when not staged.
    package var batch: Int?
    /// The health checks' results after activation (empty when none ran).
    package var health: [HealthChecker.Result] = []
    /// How the closure reached the node (`nil`: this deploy did not copy it).
    package var copyWay: CopyWay?

    package init(ref: ProfileRef, storePath: String) {
        self.ref = ref
        self.state = .planned
        self.generationBefore = nil
        self.beforeWasRead = false
        self.generationAfter = nil
        self.storePath = storePath
        self.pending = nil
        self.activationID = nil
        self.error = nil
    }
}
