#if canImport(Glibc)
    import Glibc
#endif

/// Reads `load`'s JSON into the raw value and the typed configuration in one go, a large
/// fleet's nodes split over the cores: each part parses its nodes and reads them (schema
/// check and model) before the parts are joined, in name order.
///
/// Parsing a 1000-node output and then reading it took longer than half of the `nix eval`
/// that produced it; in parts, both run on every core. The result equals
/// `JSONValue.parse` followed by `DeployConfig(json:)`, errors included.
package enum LoadReading {
    /// Below this many nodes per part, another task costs more than it saves.
    static let nodesPerPart = 200

    /// The parsed output and its configuration.
    ///
    /// - Throws: `JSONParser.ParseError` when the text is not JSON; `ConfigError` as
    ///   `DeployConfig(json:)` throws it.
    package static func read(_ text: String) async throws -> (raw: JSONValue, config: DeployConfig) {
        let bytes = Array(text.utf8)
        let top = try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            return try parser.object(deferring: "nodes")
        }
        guard let top, let nodes = top.deferred, !top.members.contains(where: { $0.name == "nodes" }) else {
            // Not the usual shape: the plain reader says what is wrong with it.
            let raw = try JSONValue.parse(text)
            return (raw, try DeployConfig(json: raw))
        }
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let parts = max(1, min(cores, nodes.starts.count / nodesPerPart))
        let size = (nodes.starts.count + parts - 1) / parts
        let ranges: [Range<Int>] = (0..<parts).compactMap { part in
            let first = part * size
            guard first < nodes.starts.count else { return nil }
            let last = min(nodes.starts.count, (part + 1) * size) - 1
            return nodes.starts[first]..<nodes.ends[last]
        }
        let read = try await withThrowingTaskGroup(of: (Int, Part).self) { group in
            for (part, range) in ranges.enumerated() {
                group.addTask { (part, try readPart(bytes, range)) }
            }
            var results = [Part?](repeating: nil, count: ranges.count)
            for try await (part, result) in group { results[part] = result }
            return results.compactMap { $0 }
        }
        let members = read.flatMap(\.members)
        let nodesObject = JSONObject(read: members)
        var deploy = JSONObject(read: top.members)
        deploy["nodes"] = .object(nodesObject)
        let raw = JSONValue.object(deploy)
        let config = try DeployConfig(
            deploy: deploy,
            read: (nodes: read.flatMap(\.nodes), problems: read.flatMap(\.problems)),
            nodesInOrder: zip(members, members.dropFirst()).allSatisfy { $0.name < $1.name }
        )
        return (raw, config)
    }

    private typealias Part = (members: [JSONObject.Member], nodes: [Node], problems: [SchemaProblem])

    /// Parses the members in `range` (a run of whole members, without the separating commas
    /// at its ends) and reads them.
    private static func readPart(_ bytes: [UInt8], _ range: Range<Int>) throws -> Part {
        let members = try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, at: range.lowerBound)
            return try parser.members(upTo: range.upperBound)
        }
        let pairs = members.map { (key: $0.name.text, value: $0.value) }
        let read = NodeReading.readPart(pairs[...])
        return (members, read.nodes, read.problems)
    }
}
