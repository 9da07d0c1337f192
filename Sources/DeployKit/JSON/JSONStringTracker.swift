/// Follows JSON text byte by byte and knows whether the current byte is inside a string.
///
/// The scanners that watch Nix's output arrive (`JSONCompletion`, `NodesScanner`) count
/// brackets and commas only outside strings; this is the one place that knows how a string
/// opens, escapes and closes.
struct JSONStringTracker {
    /// Whether the last byte taken left the text inside a string.
    private(set) var isInString = false
    private var escaped = false

    /// Takes the next byte. `true` when the byte belongs to a string's inside or is its closing
    /// quote (the caller skips it); `false` when the caller reads it, an opening quote included.
    mutating func skips(_ byte: UInt8) -> Bool {
        guard isInString else {
            if byte == UInt8(ascii: "\"") { isInString = true }
            return false
        }
        if escaped {
            escaped = false
        } else if byte == UInt8(ascii: "\\") {
            escaped = true
        } else if byte == UInt8(ascii: "\"") {
            isInString = false
        }
        return true
    }
}
