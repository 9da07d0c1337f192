/// Where a piece of a script came from, so errors can say `FILE:LINE:COLUMN`.
///
/// Lines and columns count from 1; columns count Unicode scalars (what an editor shows).
package struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String { "\(file):\(line):\(column)" }
}
