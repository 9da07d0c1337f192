/// The steps of a deploy, named as users type them.
package enum DeployStep: String, Sendable, Hashable, Codable, CaseIterable {
    /// `nix flake check` before a one-shot deploy.
    case check
    case evaluate
    case build
    case diff
    /// Uploading every routed closure to the binary cache, once (`--push-to`).
    case upload
    case copy
    case connect
    case activate
    case wait
    case confirm
    case rollback
    case generations
    /// A command run on nodes with `exec`.
    case exec
    /// The profile's `healthChecks` after activation (or `check-health`).
    case health
    /// The profile's `preDeployChecks`, before anything on the node changes.
    case preDeployCheck = "pre-deploy-check"
    /// A batch of a staged rollout.
    case batch
}
