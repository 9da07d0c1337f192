/// A reference to one profile of one node: the unit that selection produces and plans act on.
///
/// Printed as `node.profile`; a component that the target syntax could not read back bare
/// (one with a dot, a quote, a blank, `#` or nothing at all) is quoted: `"web.example.com".system`.
/// A deploy that spans several flakes names each profile with its flake (`./a#n1.system`), so
/// two flakes' nodes of the same name stay two targets.
package struct ProfileRef: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The flake the profile comes from, set only when a deploy spans more than one flake.
    package var flake: String?
    package var node: String
    package var profile: String

    package init(node: String, profile: String, flake: String? = nil) {
        self.flake = flake
        self.node = node
        self.profile = profile
    }

    /// Byte for byte, as Nix compares attribute names (see `ExactName`).
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.flake == rhs.flake && ExactName.same(lhs.node, rhs.node) && ExactName.same(lhs.profile, rhs.profile)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(flake)
        hasher.combine(ExactName(node))
        hasher.combine(ExactName(profile))
    }

    package var description: String {
        let prefix = flake.map { "\($0)#" } ?? ""
        return "\(prefix)\(Self.quotedIfNeeded(node)).\(Self.quotedIfNeeded(profile))"
    }

    /// The node this profile belongs to, with its flake.
    package var nodeKey: NodeKey { NodeKey(flake: flake, node: node) }

    /// `name` as a target component: bare when it reads back as itself, otherwise double-quoted
    /// with `\` and `"` escaped.
    package static func quotedIfNeeded(_ name: String) -> String {
        let special: Set<Character> = [".", "\"", "\\", "#", " ", "\t", "\n"]
        guard name.isEmpty || name.contains(where: { special.contains($0) }) else { return name }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
