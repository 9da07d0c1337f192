import DeployShell
import Testing

/// Test source with keycap markers (`1️⃣`, `2️⃣`, …) that name expected locations; the markers are removed.
///
/// Lets a test point at the expected column in the source itself instead of counting characters by hand,
/// as swift-format's tests do. Columns count Unicode scalars of the text without markers, like the lexer.
struct MarkedText {
    /// The source with every marker removed.
    let text: String
    /// The file name used in the locations.
    let file: String
    private var markers: [String: DeployShell.SourceLocation] = [:]

    init(_ marked: String, file: String = "test.dsh") {
        self.file = file
        let scalars = Array(marked.unicodeScalars)
        var text = String.UnicodeScalarView()
        var line = 1
        var column = 1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if Self.isMarker(scalars, at: index) {
                markers[String(scalar)] = DeployShell.SourceLocation(file: file, line: line, column: column)
                index += 3
                continue
            }
            text.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else if !(scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n") {
                column += 1
            }
            index += 1
        }
        self.text = String(text)
    }

    /// The location of the marker written as `1️⃣` (pass `"1️⃣"`), failing the test if it is missing.
    func location(_ marker: String) throws -> DeployShell.SourceLocation {
        let digit = marker.unicodeScalars.first.map(String.init) ?? marker
        return try #require(markers[digit], "no marker \(marker) in the test source")
    }

    private static func isMarker(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        index + 2 < scalars.count && ("0"..."9").contains(scalars[index]) && scalars[index + 1] == "\u{FE0F}"
            && scalars[index + 2] == "\u{20E3}"
    }
}
