/// The steps of a deploy, named as users type them.
package enum DeployStep: String, Sendable, Hashable, Codable, CaseIterable {
    /// `nix flake check` before a one-shot deploy.
    case check
    case evaluate
    case build
    case diff
    case copy
    case connect
    case activate
    case wait
    case confirm
    case rollback
    case generations
    /// A command run on nodes with `exec`.
    case exec
}
