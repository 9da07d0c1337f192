/// Where a profile lives on its target, following deploy-rs's rules (see `ProfilePath`).
///
/// A per-user profile is a case of its own because its real path is only known on the target:
/// deploy-rs uses `/nix/var/nix/profiles/per-user/USER/NAME` when that directory exists there,
/// and `${XDG_STATE_HOME:-$HOME/.local/state}/nix/profiles/NAME` otherwise.
package enum ProfileLocation: Sendable, Hashable, Codable {
    /// The profile's `profilePath` attribute.
    case explicit(String)
    /// A fixed path that does not depend on the target (root's profiles).
    case fixed(String)
    /// A profile of a user other than root.
    case perUser(user: String, name: String)

    /// The path to show a person; for a per-user profile, the `per-user` path.
    package var displayPath: String {
        switch self {
        case .explicit(let path), .fixed(let path): path
        case .perUser(let user, let name): "/nix/var/nix/profiles/per-user/\(user)/\(name)"
        }
    }

    /// For a per-user profile, the path deploy-rs uses when the `per-user` directory does not exist
    /// on the target (a shell expression, to be expanded there); `nil` otherwise.
    package var fallbackPath: String? {
        guard case .perUser(_, let name) = self else { return nil }
        return "${XDG_STATE_HOME:-$HOME/.local/state}/nix/profiles/\(name)"
    }
}
