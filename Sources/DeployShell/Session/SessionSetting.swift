/// A setting of the shell itself, not of deploy-rs: typed after `set` like the flake's settings.
///
/// `set jobs N` bounds the nodes worked on at once, `set logDir DIR` writes one log per node.
package enum SessionSetting: String, CaseIterable, Sendable {
    case jobs
    case logDir
    /// `set batches 1,25%,100%`: the rollout of every deploy (as `deploy --batches`).
    case batches
    /// `set maxFailures N|P%`.
    case maxFailures
    /// `set onFailure rollback-all|rollback-batch|halt`.
    case onFailure
    /// `set healthChecks off`: no health gate for the session's deploys.
    case healthChecks
    /// `set showOutput full|tail`: each done target's whole activation output, or its last lines.
    case showOutput
}
