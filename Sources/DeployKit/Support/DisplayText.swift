/// The one function that makes text from outside (remote output, flake values) safe to show.
///
/// Activation output and stderr tails come from the target, and names and hosts from the
/// flake; printed raw, an escape sequence in them would set the terminal's title, recolour
/// it or hide lines. Every control character is shown as an escape instead (ESC as `\x1b`,
/// NUL as `\0`, CR as `\r`), so it is visible and never interpreted; tabs and line breaks
/// are kept, except in a quoted value, which stays on one line.
package enum DisplayText {
    /// Whether `text` is only printable ASCII (space to `~`): nothing to escape, one byte per
    /// column. A byte-level check that spares most names a look at their Unicode scalars.
    package static func isPrintableASCII(_ text: String) -> Bool {
        // A plain loop over the stored bytes: `allSatisfy` on the UTF-8 view walks it index by
        // index (a quarter of `nodes`' time for 1000 rows).
        let stored = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte < 0x20 || byte >= 0x7F { return false }
            return true
        }
        return stored ?? text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `text` with every control character (C0, DEL, C1) but tab and line feed written as a visible escape.
    package static func visible(_ text: String) -> String {
        escaped(text, keepingLineBreaks: true)
    }

    /// `text` made visible, line feeds escaped too, in single quotes, for a message that names a value.
    package static func quoted(_ text: String) -> String {
        "'" + escaped(text, keepingLineBreaks: false) + "'"
    }

    private static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        let needsEscape = { (scalar: Unicode.Scalar) in
            scalar != "\t" && !(keepingLineBreaks && scalar == "\n")
                && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
        }
        // Printable ASCII (most names and hosts) needs no look at each scalar.
        if isPrintableASCII(text) { return text }
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\0": result += "\\0"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            default:
                let hex = String(scalar.value, radix: 16)
                result +=
                    scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u" + hex
            }
        }
        return result
    }
}
