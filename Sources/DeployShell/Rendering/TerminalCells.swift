/// How many terminal cells text takes: East Asian wide and fullwidth characters and emoji take
/// two, combining marks and other zero-width characters none, the rest one.
///
/// The live block must never wrap (its lines are redrawn by moving the cursor up one row per
/// line), so it is cut to the terminal's width in cells, not in `Character`s. This follows
/// `wcwidth` (Markus Kuhn's tables, Unicode's East Asian Width W and F, emoji presentation)
/// without asking the C library, whose answer depends on the process's locale.
package enum TerminalCells {
    /// Cells of a whole string; printable ASCII is counted by bytes.
    package static func width(_ text: String) -> Int {
        if DisplayTextCheck.isASCII(text) { return text.utf8.count }
        return text.reduce(0) { $0 + width($1) }
    }

    /// Cells of a string that may hold colour escapes (`ESC [ ... letter`), which take none.
    package static func width(ofPainted text: String) -> Int {
        var cells = 0
        var inEscape = false
        var afterEscape = false
        for character in text {
            if afterEscape {
                afterEscape = false
                inEscape = character == "["
                continue
            }
            if inEscape {
                if character.isLetter { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                afterEscape = true
                continue
            }
            cells += width(character)
        }
        return cells
    }

    /// The longest start of `text` that fits in `cells`, and the cells it takes.
    package static func prefix(_ text: String, cells: Int) -> (text: String, cells: Int) {
        if DisplayTextCheck.isASCII(text) {
            let cut = min(cells, text.utf8.count)
            return (String(text.prefix(cut)), cut)
        }
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let next = width(text[index])
            if used + next > cells { break }
            used += next
            end = text.index(after: index)
        }
        return (String(text[..<end]), used)
    }

    /// Cells of one grapheme cluster: its first scalar decides, unless the cluster asks for
    /// emoji presentation (U+FE0F) or is a flag (two regional indicators).
    package static func width(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.isASCII { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        if scalars.contains("\u{FE0F}") { return 2 }
        return width(first)
    }

    /// Cells of one scalar standing alone.
    static func width(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if value == 0x200B || (0x1160...0x11FF).contains(value) { return 0 }  // ZWSP, Hangul medial vowels
        if scalar.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks, as in `wcwidth`.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

/// The ASCII test of ``TerminalCells``' fast paths (printable or not: control bytes count 1 there,
/// but the live block's text has them made visible already).
private enum DisplayTextCheck {
    static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte >= 0x80 { return false }
            return true
        } ?? text.utf8.allSatisfy { $0 < 0x80 }
    }
}
