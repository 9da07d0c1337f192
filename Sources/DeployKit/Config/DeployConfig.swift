/// The typed view of a flake's `deploy` output: top-level settings and nodes.
///
/// Built from the JSON that `LoadExpression` produces. Only the shape needed to list nodes is
/// enforced (an attribute set with `nodes`); any other wrong type is skipped or ignored so
/// that `nodes` still works, and `SchemaChecker` reports it.
package struct DeployConfig: Sendable, Hashable, Codable {
    /// The settings at the top of `deploy`.
    package var settings: Settings
    /// The nodes, sorted by name.
    package var nodes: [Node]

    package init(settings: Settings = Settings(), nodes: [Node]) {
        self.settings = settings
        self.nodes = nodes.sorted { $0.name < $1.name }
    }

    /// Reads the `deploy` value.
    ///
    /// - Throws: `ConfigError` when `deploy` is not an attribute set, has no `nodes`, or its
    ///   `nodes` is not an attribute set. Nodes that are not attribute sets are skipped.
    package init(json: JSONValue) throws(ConfigError) {
        guard case .object(let deploy) = json else { throw .notAnAttributeSet(type: json.typeName) }
        guard let nodesValue = deploy["nodes"] else { throw .missingNodes }
        guard case .object(let nodes) = nodesValue else { throw .nodesNotAnAttributeSet(type: nodesValue.typeName) }
        self.init(
            settings: Settings(json: deploy),
            nodes: nodes.compactMap { name, value in value.objectValue.map { Node(name: name, json: $0) } }
        )
    }

    /// The node called `name`, if there is one.
    package func node(named name: String) -> Node? {
        nodes.first { $0.name == name }
    }

    /// The node names, sorted.
    package var nodeNames: [String] { nodes.map(\.name) }
}
