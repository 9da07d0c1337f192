/// Turns target patterns into the profiles they name, in the order a deploy would visit them.
///
/// The result is in deploy order (nodes by name, each node's profiles in its deploy order) and
/// has no duplicates, whatever order and overlap the patterns have. An exact name that does not
/// exist is an error with suggestions; a glob that matches nothing is an error too, so a typo in
/// a script never silently selects less than intended.
package enum Selector {
    /// The profiles that `patterns` select in `config`. The patterns' flakes are not looked at.
    ///
    /// - Throws: `SelectionError.unknownNode` / `.unknownProfile` for an exact name that does not
    ///   exist, `.noMatch` for a glob that matches no profile.
    package static func resolve(
        _ patterns: [TargetPattern],
        in config: DeployConfig
    ) throws(SelectionError) -> [ProfileRef] {
        var selected = Set<ProfileRef>()
        for pattern in patterns {
            selected.formUnion(try refs(for: pattern, in: config))
        }
        return config.nodes.flatMap { node in
            node.profiles.compactMap { profile in
                let ref = ProfileRef(node: node.name, profile: profile.name)
                return selected.contains(ref) ? ref : nil
            }
        }
    }

    /// The profiles one pattern selects.
    private static func refs(
        for pattern: TargetPattern,
        in config: DeployConfig
    ) throws(SelectionError) -> [ProfileRef] {
        var nodes: [Node]
        if let tag = pattern.tag {
            nodes = config.nodes.filter { node in node.tags.contains { ExactName.same($0, tag) } }
            if nodes.isEmpty {
                throw .unknownTag(tag, suggestions: NameSuggestions.nearest(to: tag, in: config.tags))
            }
        } else if Glob.hasWildcards(pattern.node) {
            let glob = Glob(pattern.node)
            nodes = config.nodes.filter { glob.matches($0.name) }
        } else if let node = config.node(named: pattern.node) {  // a binary search, by bytes
            nodes = [node]
        } else {
            let suggestions = NameSuggestions.nearest(to: pattern.node, in: config.nodeNames)
            throw .unknownNode(pattern.node, suggestions: suggestions)
        }

        var refs: [ProfileRef] = []
        for node in nodes {
            let profiles: [Profile]
            if let name = pattern.profile, Glob.hasWildcards(name) {
                let glob = Glob(name)
                profiles = node.profiles.filter { glob.matches($0.name) }
            } else if let name = pattern.profile {
                if let profile = node.profile(named: name) {
                    profiles = [profile]
                } else if Glob.hasWildcards(pattern.node) {
                    profiles = []  // `web-*.system` selects the matching nodes that have the profile
                } else {
                    let suggestions = NameSuggestions.nearest(to: name, in: node.profileNames)
                    throw .unknownProfile(node: node.name, profile: name, suggestions: suggestions)
                }
            } else {
                profiles = node.profiles
            }
            refs += profiles.map { ProfileRef(node: node.name, profile: $0.name) }
        }
        if refs.isEmpty && pattern.isGlob {
            throw .noMatch(pattern.description)
        }
        return refs
    }
}
