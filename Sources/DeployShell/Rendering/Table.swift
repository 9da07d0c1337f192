import DeployKit

/// Aligned columns for human output (`nodes`, `plan`, `show`).
///
/// Widths count characters, so names with non-ASCII letters still line up; cells are shown
/// through `DisplayText`, so a name cannot send escape sequences to the terminal.
package struct Table: Sendable {
    package var header: [String]
    package var rows: [[String]]

    /// Cells come from the flake (names, hosts): control characters in them are made visible.
    package init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows.map { $0.map(DisplayText.visible) }
    }

    package func render(style: TextStyle) -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.width(cell)) }
        }
        // One string appended to in place: `nodes` renders thousands of rows.
        func append(_ row: [String], to output: inout String) {
            let start = output.utf8.count
            for (index, cell) in row.enumerated() {
                if index > 0 { output += "  " }
                output += cell
                if index < row.count - 1 {
                    output += String(repeating: " ", count: widths[index] - Self.width(cell))
                }
            }
            // An empty last column leaves no trailing blanks.
            while output.utf8.count > start, output.utf8.last == UInt8(ascii: " ") { output.removeLast() }
        }
        var head = ""
        append(header, to: &head)
        var output = style.bold(head)
        output.reserveCapacity(rows.reduce(output.utf8.count) { $0 + $1.reduce(2 * $1.count) { $0 + $1.utf8.count } })
        for row in rows {
            output += "\n"
            append(row, to: &output)
        }
        return output
    }

    /// Columns a cell takes: its characters; ASCII (the common case) is counted by bytes.
    static func width(_ text: String) -> Int {
        let bytes = text.utf8.count
        return text.utf8.allSatisfy { $0 < 0x80 } ? bytes : text.count
    }
}
