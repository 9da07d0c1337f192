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
    /// `set pushTo URL`: the binary cache every deploy uploads to once (as `deploy --push-to`).
    case pushTo
    /// `set pullFrom URL`: where nodes pull from (default: pushTo).
    case pullFrom
    /// `set cacheKey FILE`: the Nix secret key that signs the uploads.
    case cacheKey
    /// `set cacheFallback off`: a node whose pull fails fails (as `--no-fallback`).
    case cacheFallback
    /// `set builders SPEC`: Nix's remote builders for the local build.
    case builders
    /// `set maxJobs N`: build jobs the local Nix runs itself (0: remote builders only).
    case maxJobs
    /// `set showOutput full|tail`: each done target's whole activation output, or its last lines.
    case showOutput
}
