/// Checks and reads the nodes of a `deploy` output: the schema check and the typed model.
///
/// Reading a node depends on that node alone, so `LoadReading` reads a large fleet in parts,
/// one per core, each with `readPart`; the parts joined equal reading all in one go.
enum NodeReading {
    typealias Part = (nodes: [Node], problems: [SchemaProblem])

    /// The nodes that are attribute sets, read one after the other, and every problem found.
    static func read(_ nodes: JSONObject) -> Part {
        readPart(Array(nodes)[...])
    }

    /// Some nodes (`name`, value) in name order: those that are attribute sets read, and their problems.
    static func readPart(_ members: ArraySlice<(key: String, value: JSONValue)>) -> Part {
        let problems = SchemaChecker.checkNodes(members)
        let nodes = members.compactMap { name, value in value.objectValue.map { Node(name: name, json: $0) } }
        return (nodes, problems)
    }
}
