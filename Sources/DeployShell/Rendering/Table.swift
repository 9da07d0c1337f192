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
        // Each cell's width once; the text as bytes, padded in place: `nodes` renders thousands of rows.
        let cellWidths = ([header] + rows).map { $0.map(Self.width) }
        var widths = Array(repeating: 0, count: cellWidths.map(\.count).max() ?? 0)
        for row in cellWidths {
            for (index, width) in row.enumerated() { widths[index] = max(widths[index], width) }
        }
        func append(_ row: [String], _ rowWidths: [Int], to output: inout [UInt8]) {
            let start = output.count
            for (index, cell) in row.enumerated() {
                if index > 0 { output.append(contentsOf: [0x20, 0x20]) }
                output.append(contentsOf: cell.utf8)
                if index < row.count - 1 {
                    output.append(contentsOf: repeatElement(0x20, count: widths[index] - rowWidths[index]))
                }
            }
            // An empty last column leaves no trailing blanks.
            while output.count > start, output.last == 0x20 { output.removeLast() }
        }
        var head: [UInt8] = []
        append(header, cellWidths[0], to: &head)
        var body: [UInt8] = []
        body.reserveCapacity(rows.count * (widths.reduce(0, +) + 2 * widths.count + 1))
        for (row, rowWidths) in zip(rows, cellWidths.dropFirst()) {
            body.append(0x0A)
            append(row, rowWidths, to: &body)
        }
        return style.bold(String(decoding: head, as: UTF8.self)) + String(decoding: body, as: UTF8.self)
    }

    /// Columns a cell takes: its characters; ASCII (the common case) is counted by bytes.
    static func width(_ text: String) -> Int {
        let isASCII =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                for byte in bytes where byte >= 0x80 { return false }
                return true
            } ?? text.utf8.allSatisfy { $0 < 0x80 }
        return isASCII ? text.utf8.count : text.count
    }
}
