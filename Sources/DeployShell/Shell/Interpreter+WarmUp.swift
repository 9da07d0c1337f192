extension Interpreter {
    /// Parses the arguments of `script`'s first command and throws the result away, so that the
    /// runtime's first-use work for that command's parser (type metadata, reflection of its
    /// arguments: about 2 ms for `load` on this kind of machine) is done by another core while
    /// the session is being set up, not while the user waits for the command to start.
    ///
    /// It has no effect beyond that: parse errors are ignored here; the statement reports them
    /// when it runs.
    nonisolated package static func warmUp(_ script: String) {
        guard let statement = (try? Parser.parse(script, file: "<warm-up>"))?.first else { return }
        var words = statement.words.map(\.text)
        while let first = words.first, first == "!" || first == "time", words.count > 1 { words.removeFirst() }
        guard let name = words.first, let type = try? CommandTable.command(named: name) else { return }
        _ = try? CommandTable.parse(type, arguments: Array(words.dropFirst()))
    }
}
