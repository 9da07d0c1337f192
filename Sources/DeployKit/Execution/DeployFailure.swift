/// Why a step failed on a target, as a typed value the engine and the shell branch on.
///
/// The reason text of ``DeployError`` is for people; this is for code. Together with
/// ``DeployError/state`` it says what went wrong and where the target ended up.
package enum DeployFailure: Sendable, Hashable, Codable {
    /// ssh could not connect or the session dropped (exit 255).
    case unreachable
    /// The activation exited non-zero (status, when known).
    case activationFailed(status: Int?)
    /// The activation ran longer than `activationTimeout` seconds and was killed.
    case activationTimedOut(seconds: Int)
    /// Another deployment holds the profile's lock; nothing changed.
    case locked(holder: String)
    /// `nix-env --set` failed; nothing changed.
    case setFailed
    /// The canary was not deleted in time (or the new connection failed): magic rollback.
    case notConfirmed
    /// The canary did not appear within `activationTimeout`.
    case canaryMissing
    /// A rollback was attempted and did not complete.
    case rollbackFailed
    /// The target ran out of disk space.
    case outOfSpace
    /// Cancelled (Ctrl-C) while this step ran.
    case cancelled
    /// Not activated because another target of the same deploy failed first.
    case otherTargetFailed
    /// A health check did not pass (within healthTimeout, or during the soak).
    case unhealthy(check: String, attempts: Int)
    /// A pre-deploy check failed; the node was left untouched.
    case preDeployCheckFailed(check: String)
    /// Anything else: a failed local command, bad input, an unexpected answer.
    case other
}
