/// One node of a deploy: its name, and its flake when a deploy spans several flakes.
///
/// The planner groups targets by it, so two flakes that both define a node `n1` plan two nodes.
package struct NodeKey: Hashable, Sendable {
    package var flake: String?
    package var node: ExactName

    package init(flake: String? = nil, node: String) {
        self.flake = flake
        self.node = ExactName(node)
    }
}

// MARK: - ExpressibleByStringLiteral

extension NodeKey: ExpressibleByStringLiteral {
    /// A node of the one flake of a deploy, by name (for plans written out in tests and fixtures).
    package init(stringLiteral name: String) {
        self.init(node: name)
    }
}
