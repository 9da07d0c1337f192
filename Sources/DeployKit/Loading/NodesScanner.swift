/// Finds, while `load`'s JSON is still arriving, runs of whole members of its top-level
/// `nodes` object, so they can be read before Nix has finished printing.
///
/// Nix prints a large fleet's JSON in pieces as it evaluates it (a 1000-node flake in about
/// forty writes over a quarter of the evaluation); reading each run as soon as it is complete
/// leaves only the last one for after Nix exits. The scanner only counts brackets outside
/// strings and watches the top-level keys: it proves nothing. `LoadReading` keeps a run only
/// when the full text's own scan finds members starting and ending exactly there.
struct NodesScanner {
    /// The offset of the next byte to scan.
    private(set) var position = 0
    private var depth = 0
    private var strings = JSONStringTracker()
    /// At depth 1: whether the next string is a key, and where the key being read starts.
    private var expectingKey = false
    private var keyStart: Int?
    private var lastKeyIsNodes = false
    private var inNodes = false
    private var nodesClosed = false
    /// Where the first member not yet handed out starts, and where the last complete one ends.
    private var runStart: Int?
    private var lastEnd: Int?
    /// Whether the top-level value has closed (Nix has printed all of it but blanks).
    private(set) var isComplete = false

    /// Scans the bytes from `position` to the end of `bytes`, the text received so far.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = position
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if strings.skips(byte) {
                if !strings.isInString, let start = keyStart {
                    lastKeyIsNodes = Self.isNodes(bytes, start..<index)
                    keyStart = nil
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if depth == 1 && expectingKey { keyStart = index + 1 }
            case UInt8(ascii: ":"):
                if depth == 1 { expectingKey = false }
            case UInt8(ascii: ","):
                if depth == 1 { expectingKey = true }
                if inNodes && depth == 2 { lastEnd = index }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth == 1 { expectingKey = byte == UInt8(ascii: "{") }
                if depth == 2, byte == UInt8(ascii: "{"), lastKeyIsNodes, !inNodes, !nodesClosed {
                    inNodes = true
                    runStart = index + 1
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if inNodes && depth == 2 {
                    lastEnd = index
                    inNodes = false
                    nodesClosed = true
                }
                depth -= 1
                if depth == 0 { isComplete = true }
            default:
                break
            }
            index += 1
        }
        position = index
    }

    /// The next run of whole members, once it holds at least `minimumBytes` (any length once
    /// `nodes` has closed): from the first byte after its `{` or `,` to its last member's `,`
    /// or `}` (not included). `nil` while no such run is complete.
    mutating func nextRun(minimumBytes: Int) -> Range<Int>? {
        guard let start = runStart, let end = lastEnd, end > start,
            end - start >= minimumBytes || nodesClosed
        else { return nil }
        runStart = end + 1
        return start..<end
    }

    private static func isNodes(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.count == 5 && bytes[range.lowerBound] == UInt8(ascii: "n")
            && bytes[range.lowerBound + 1] == UInt8(ascii: "o") && bytes[range.lowerBound + 2] == UInt8(ascii: "d")
            && bytes[range.lowerBound + 3] == UInt8(ascii: "e") && bytes[range.lowerBound + 4] == UInt8(ascii: "s")
    }
}
