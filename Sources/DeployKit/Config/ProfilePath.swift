/// deploy-rs's rule for which user owns a profile and where the profile lives on the target.
///
/// Kept apart from the model so the rule, which users rely on when switching tools, has one
/// place and one test table.
package enum ProfilePath {
    /// The user the profile belongs to: `user`, else `sshUser`, else the deployer's local user.
    ///
    /// - Parameter localUser: the name of the user running deploysh (passed in, never read here).
    package static func profileUser(user: String?, sshUser: String?, localUser: String) -> String {
        user ?? sshUser ?? localUser
    }

    /// Where the profile lives.
    ///
    /// `profilePath` wins when set (normalised: `/./`, `//` and a trailing `/` removed). Otherwise root's `system` profile is
    /// `/nix/var/nix/profiles/system`, root's other profiles are
    /// `/nix/var/nix/profiles/per-user/root/NAME`, and another user's profiles are per-user.
    package static func location(profileName: String, profilePath: String?, profileUser: String) -> ProfileLocation {
        if let profilePath { return .explicit(TargetPathRules.normalised(profilePath: profilePath)) }
        guard profileUser == "root" else { return .perUser(user: profileUser, name: profileName) }
        if profileName == "system" { return .fixed("/nix/var/nix/profiles/system") }
        return .fixed("/nix/var/nix/profiles/per-user/root/\(profileName)")
    }
}
