/// A parsed target as written by a person: an optional flake, a node and an optional profile,
/// where the node and the profile may be globs.
///
/// Kept separate from `ProfileRef` because a pattern can name many profiles (`web-*`, a node
/// without a profile) or none; `Selector` turns patterns into refs against a loaded config.
package struct TargetPattern: Sendable, Hashable, CustomStringConvertible {
    /// The flake reference before `#`, if the target had one (`.`, `path:/srv/fleet`).
    package var flake: String?
    /// The node name or glob.
    package var node: String
    /// The profile name or glob; `nil` selects every profile of the node.
    package var profile: String?
    /// `@TAG`: only the nodes with this tag (then `node` is `*`).
    package var tag: String?

    package init(flake: String? = nil, node: String, profile: String? = nil, tag: String? = nil) {
        self.flake = flake
        self.node = node
        self.profile = profile
        self.tag = tag
    }

    /// Whether the node or the profile contains `*` or `?`.
    package var isGlob: Bool {
        Glob.hasWildcards(node) || profile.map(Glob.hasWildcards) == true
    }

    /// The pattern in target syntax, names quoted where needed: `.#web1.system`, `"a.b".system`, `web-*`.
    package var description: String {
        var text = flake.map { "\($0)#" } ?? ""
        text += tag.map { "@" + $0 } ?? ProfileRef.quotedIfNeeded(node)
        if let profile { text += "." + ProfileRef.quotedIfNeeded(profile) }
        return text
    }
}
