/// Tells, while a JSON text is still arriving, when its top-level object or array has closed.
///
/// Nix prints its JSON and then takes a few milliseconds more to exit (it frees its heap and
/// runs destructors); end of file comes only after that. A reader that knows the value is
/// complete can parse it meanwhile, and only checks at end of file that nothing but blanks
/// followed. A top-level scalar is never reported complete (it is read at end of file).
struct JSONCompletion {
    /// The offset of the next byte to scan.
    private(set) var position = 0
    /// The offset just after the top-level value's closing bracket, once it has closed.
    private(set) var end: Int?
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var isScalar = false

    /// Scans the bytes from `position` to the end of `bytes`, the text received so far.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = position
        while index < bytes.count, end == nil, !isScalar {
            let byte = bytes[index]
            index += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { end = index }
            case 0x20, 0x0A, 0x0D, 0x09: break
            default:
                // A scalar at the top level: no early end, ever.
                if depth == 0 { isScalar = true }
            }
        }
        position = index
    }

    /// Whether `bytes` holds only JSON blanks.
    static func isBlank<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}
