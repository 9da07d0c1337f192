extension DeployConfig {
    /// Resolves one profile: merges its settings with the node's, the top level's and the session
    /// overrides, and works out the ssh destination, the profile user and the profile location.
    ///
    /// - Parameters:
    ///   - node: the node name.
    ///   - profile: the profile name.
    ///   - overrides: the session overrides, including a hostname override.
    ///   - localUser: the deployer's local user name, used when neither `user` nor `sshUser` is set.
    /// - Throws: `SelectionError.unknownNode` or `.unknownProfile`, with the nearest names.
    package func resolve(
        node nodeName: String,
        profile profileName: String,
        overrides: SessionOverrides = SessionOverrides(),
        localUser: String
    ) throws(SelectionError) -> ResolvedProfile {
        guard let node = node(named: nodeName) else {
            throw .unknownNode(nodeName, suggestions: NameSuggestions.nearest(to: nodeName, in: nodeNames))
        }
        guard let profile = node.profile(named: profileName) else {
            let suggestions = NameSuggestions.nearest(to: profileName, in: node.profileNames)
            throw .unknownProfile(node: nodeName, profile: profileName, suggestions: suggestions)
        }
        var settings = SettingsMerge.merge(
            deploy: self.settings,
            node: node.settings,
            profile: profile.settings,
            overrides: overrides.settings
        )
        let hostname = overrides.hostname ?? node.hostname ?? ""
        settings.sources[.hostname] = overrides.hostname != nil ? .override : (node.hostname != nil ? .node : .default)

        let sshUser = settings.sshUser ?? localUser
        let profileUser = ProfilePath.profileUser(user: settings.user, sshUser: settings.sshUser, localUser: localUser)
        // deploy-rs connects as `sshUser@host`, and as `LOCALUSER@host` when no sshUser is set.
        let destination = hostname.isEmpty ? "" : "\(sshUser)@\(hostname)"
        var resolved = ResolvedProfile(
            node: node.name,
            profile: profile.name,
            hostname: hostname,
            settings: settings,
            sshDestination: destination,
            profileUser: profileUser,
            usesSudo: settings.user.map { $0 != sshUser } ?? false,
            location: ProfilePath.location(
                profileName: profile.name,
                profilePath: profile.profilePath,
                profileUser: profileUser
            )
        )
        if binaryCache != nil || node.binaryCache != nil {
            resolved.binaryCache = (binaryCache ?? BinaryCache()).overlaid(by: node.binaryCache)
        }
        return resolved
    }
}
