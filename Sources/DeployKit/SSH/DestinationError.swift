/// A host or user that deploysh refuses to hand to ssh, or a profile it cannot connect for.
///
/// Raised at load (through `SchemaChecker`; a refused user only refuses deploying its nodes), by
/// `set`, and again right before any ssh call,
/// always naming the attribute the value came from.
package enum DestinationError: UserFacingError, Equatable {
    /// `attribute`'s `value` could be read as an ssh option or holds blanks or control characters.
    case unsafe(attribute: String, value: String, problem: String)
    /// A `user` or `sshUser` that deploy-rs takes but deploysh refuses: ssh could read it as an
    /// option, or as a path component on the target it would reach another directory.
    case refusedUser(attribute: String, value: String, problem: String)
    /// The node has no hostname, and the session does not override it.
    case noHostname(node: String)
    /// Neither `user` nor `sshUser` is set for the profile: deploy-rs refuses to deploy it.
    case noUser(node: String, profile: String)

    package var message: String {
        switch self {
        case .unsafe(let attribute, let value, let problem):
            "\(attribute) \(DisplayText.quoted(value)) \(problem)"
        case .refusedUser(let attribute, let value, let problem):
            "\(attribute) \(DisplayText.quoted(value)) \(problem); deploysh does not deploy this node with it"
        case .noHostname(let node):
            "node '\(node)' has no hostname"
        case .noUser(let node, let profile):
            "neither 'user' nor 'sshUser' is set for profile '\(profile)' of node '\(node)'"
        }
    }

    package var hint: String? {
        switch self {
        case .unsafe:
            "Use a plain host name, address or user name there (no leading '-', no blanks), then load the flake again."
        case .refusedUser:
            "deploysh refuses a user that ssh could read as an option or that would leave the profiles directory "
                + "on the target (/nix/var/nix/profiles/per-user/USER); set a plain user name in the flake."
        case .noHostname:
            "Set `hostname` on the node in the flake, or override it: `set hostname HOST`."
        case .noUser:
            "Set `sshUser` (or `user`) in the flake, as deploy-rs requires, or for this session: `set sshUser NAME`."
        }
    }

    /// In the one-shot, the override is a flag (`--hostname`, `--ssh-user`), not `set`.
    package func hint(in face: Face) -> String? {
        guard face == .oneShot else { return hint }
        switch self {
        case .noHostname:
            return "Set `hostname` on the node in the flake, or pass `--hostname HOST`."
        case .noUser:
            return "Set `sshUser` (or `user`) in the flake, as deploy-rs requires, or pass `--ssh-user NAME`."
        case .unsafe, .refusedUser:
            return hint
        }
    }
}
