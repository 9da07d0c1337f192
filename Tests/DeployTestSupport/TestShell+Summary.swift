import DeployKit
import Testing

/// Reading a deploy's summary from a `--json` test shell, as the integration suites assert on it.
extension TestShell {
    /// The rows of the last `{"event":"summary"}` line on standard output, by target
    /// (`node.profile`); takes the output, as ``takeJSONLines()`` does.
    ///
    /// - Throws: when the output holds no summary, or a line that is not JSON.
    package func takeSummaryRows(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: JSONValue] {
        let lines = try takeJSONLines()
        let summary = try #require(lines.last { $0["event"]?.stringValue == "summary" }, sourceLocation: sourceLocation)
        var rows: [String: JSONValue] = [:]
        for row in summary["targets"]?.arrayValue ?? [] {
            if let target = row["target"]?.stringValue { rows[target] = row }
        }
        return rows
    }
}
