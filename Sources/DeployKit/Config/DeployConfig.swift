/// The typed view of a flake's `deploy` output: top-level settings and nodes.
///
/// Built from the JSON that `LoadExpression` produces. What deploy-rs refuses (nodes or
/// profiles that are not attribute sets, settings of the wrong type, hosts and names that
/// could be read as options or escape a directory) is refused here too, naming the attribute
/// path; only unknown attributes are let through, as `SchemaChecker` warnings.
package struct DeployConfig: Sendable, Hashable, Codable {
    /// The settings at the top of `deploy`.
    package var settings: Settings
    /// The nodes, sorted by name.
    package var nodes: [Node]
    /// The `rollout` attribute set (deploysh's own), when it is well-formed.
    package var rollout: Rollout?
    /// The `binaryCache` attribute set (deploysh's own): the cache of every node that sets none.
    package var binaryCache: BinaryCache?

    package init(
        settings: Settings = Settings(),
        nodes: [Node],
        rollout: Rollout? = nil,
        binaryCache: BinaryCache? = nil
    ) {
        self.settings = settings
        self.rollout = rollout
        self.binaryCache = binaryCache
        // Nix prints attributes sorted by bytes already; sort only what is not.
        let isSorted = zip(nodes, nodes.dropFirst()).allSatisfy { ExactName.precedes($0.name, $1.name) }
        self.nodes = isSorted ? nodes : nodes.sorted { ExactName.precedes($0.name, $1.name) }
    }

    /// Reads the `deploy` value.
    ///
    /// - Throws: `ConfigError` when `deploy` is not an attribute set, has no `nodes`, or its
    ///   `nodes` is not an attribute set; `ConfigError.invalid` with every error `SchemaChecker` finds.
    package init(json: JSONValue) throws(ConfigError) {
        let (deploy, nodes) = try Self.topLevel(json)
        try self.init(deploy: deploy, read: NodeReading.read(nodes))
    }

    /// The configuration from `deploy`'s own attributes and its nodes, already read.
    ///
    /// `nodesInOrder` false (a node name given twice in the JSON): the nodes are read again
    /// from `deploy` in one go, so the last of two same-named nodes wins as in `init(json:)`.
    init(deploy: JSONObject, read: NodeReading.Part, nodesInOrder: Bool = true) throws(ConfigError) {
        var read = read
        if !nodesInOrder, case .object(let nodes)? = deploy["nodes"] { read = NodeReading.read(nodes) }
        let problems = SchemaChecker.checkTopLevel(deploy) + read.problems
        let errors = problems.filter(\.refusesOutput)
        guard errors.isEmpty else { throw .invalid(errors, warnings: problems.filter { $0.severity == .warning }) }
        self.init(
            settings: Settings(json: deploy),
            nodes: read.nodes,
            rollout: deploy["rollout"]?.objectValue.flatMap { try? Rollout(json: $0) },
            binaryCache: BinaryCache(json: deploy["binaryCache"])
        )
    }

    /// `deploy` and its `nodes`, or the error for a value of the wrong shape.
    private static func topLevel(_ json: JSONValue) throws(ConfigError) -> (JSONObject, JSONObject) {
        guard case .object(let deploy) = json else { throw .notAnAttributeSet(type: json.typeName) }
        guard let nodesValue = deploy["nodes"] else {
            throw .missingNodes(warnings: SchemaChecker.checkTopLevel(deploy).filter { $0.severity == .warning })
        }
        guard case .object(let nodes) = nodesValue else { throw .nodesNotAnAttributeSet(type: nodesValue.typeName) }
        return (deploy, nodes)
    }

    /// The node called `name`, if there is one (a binary search: `nodes` is sorted by bytes).
    package func node(named name: String) -> Node? {
        var low = 0
        var high = nodes.count
        while low < high {
            let middle = (low + high) / 2
            if ExactName.precedes(nodes[middle].name, name) { low = middle + 1 } else { high = middle }
        }
        guard low < nodes.count, ExactName.same(nodes[low].name, name) else { return nil }
        return nodes[low]
    }

    /// Every tag of every node, sorted, once each.
    package var tags: [String] { Array(Set(nodes.flatMap(\.tags))).sorted() }

    /// The node names, sorted.
    package var nodeNames: [String] { nodes.map(\.name) }
}
