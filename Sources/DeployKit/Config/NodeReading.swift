#if canImport(Glibc)
    import Glibc
#endif

/// Checks and reads the nodes of a `deploy` output, large fleets split over the CPU cores.
///
/// Reading a node (its schema check and its typed model) depends on that node alone, so a
/// 1000-node flake is read in one part per core; `load` waits for this right after `nix eval`
/// has returned, when the cores are otherwise idle. The result is the same as reading the
/// nodes one after the other: nodes and problems in name order.
enum NodeReading {
    typealias Part = (nodes: [Node], problems: [SchemaProblem])

    /// Below this many nodes per part, another task costs more than it saves.
    static let nodesPerPart = 200

    /// The nodes that are attribute sets, read one after the other, and every problem found.
    static func read(_ nodes: JSONObject) -> Part {
        readPart(Array(nodes)[...])
    }

    /// The same as `read(_:)`, with large fleets read in parts concurrently.
    static func readConcurrently(_ nodes: JSONObject) async -> Part {
        let members = Array(nodes)  // sorted by name
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let parts = max(1, min(cores, members.count / nodesPerPart))
        if parts == 1 { return readPart(members[...]) }
        let size = (members.count + parts - 1) / parts
        return await withTaskGroup(of: (Int, Part).self) { group in
            for part in 0..<parts {
                let slice = members[part * size..<min(members.count, (part + 1) * size)]
                group.addTask { (part, readPart(slice)) }
            }
            var results = [Part?](repeating: nil, count: parts)
            for await (part, result) in group { results[part] = result }
            return results.reduce(into: (nodes: [], problems: [])) { all, part in
                all.nodes += part?.nodes ?? []
                all.problems += part?.problems ?? []
            }
        }
    }

    static func readPart(_ members: ArraySlice<(key: String, value: JSONValue)>) -> Part {
        let problems = SchemaChecker.checkNodes(members)
        let nodes = members.compactMap { name, value in value.objectValue.map { Node(name: name, json: $0) } }
        return (nodes, problems)
    }
}
