/// Everything needed to act on one profile of one node: merged settings, where to connect,
/// whose profile it is and where it lives.
///
/// Built by `DeployConfig.resolve(node:profile:overrides:localUser:)` so that planning and
/// `show` share one interpretation of the settings.
package struct ResolvedProfile: Sendable, Hashable, Codable {
    package var node: String
    package var profile: String
    /// The session's hostname override, else the node's `hostname`; empty when neither is set.
    package var hostname: String
    /// The merged settings; `sources[.hostname]` says where `hostname` came from.
    package var settings: EffectiveSettings
    /// `sshUser@hostname`, with the local user when no `sshUser` is set (as deploy-rs does);
    /// empty when there is no hostname. Checked again by `RemoteSession` before any ssh call.
    package var sshDestination: String
    /// The user the profile belongs to: `user`, else `sshUser`, else the local user.
    package var profileUser: String
    /// Whether activation runs through `sudo`: `user` is set and differs from the ssh user.
    package var usesSudo: Bool
    /// Where the profile lives on the target.
    package var location: ProfileLocation
    /// The flake the profile comes from, set only when a deploy spans several flakes.
    package var flake: String?
    /// The flake's `binaryCache` for this node (the node's fields over the top level's), if any.
    package var binaryCache: BinaryCache?

    package init(
        node: String,
        profile: String,
        hostname: String,
        settings: EffectiveSettings,
        sshDestination: String,
        profileUser: String,
        usesSudo: Bool,
        location: ProfileLocation,
        flake: String? = nil
    ) {
        self.node = node
        self.profile = profile
        self.hostname = hostname
        self.settings = settings
        self.sshDestination = sshDestination
        self.profileUser = profileUser
        self.usesSudo = usesSudo
        self.location = location
        self.flake = flake
    }

    /// The reference `node.profile` of this profile.
    package var ref: ProfileRef { ProfileRef(node: node, profile: profile, flake: flake) }
}
