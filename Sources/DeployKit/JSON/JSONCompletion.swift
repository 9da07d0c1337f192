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
    private var strings = JSONStringTracker()
    private var isScalar = false

    /// Scans the bytes from `position` to the end of `bytes`, the text received so far.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = position
        while index < bytes.count, end == nil, !isScalar {
            let byte = bytes[index]
            index += 1
            if strings.skips(byte) { continue }
            switch byte {
            case UInt8(ascii: "\""): break
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

    /// Reads `bytes`, the text received so far, with `read` now if the value is already complete
    /// (`isComplete`), then takes the rest of the pieces from `rest`: the early result counts
    /// only if blanks alone followed, else `read` reads the whole text.
    static func readEarly<Value>(
        _ bytes: [UInt8],
        isComplete: Bool,
        rest: inout AsyncStream<[UInt8]>.Iterator,
        read: ([UInt8]) async throws -> Value
    ) async throws -> Value {
        var early: Result<Value, any Error>?
        if isComplete {
            do { early = .success(try await read(bytes)) } catch { early = .failure(error) }
        }
        var bytes = bytes
        let complete = bytes.count
        while let piece = await rest.next() { bytes += piece }
        if let early, bytes[complete...].allSatisfy(JSONParser.isBlank) { return try early.get() }
        return try await read(bytes)
    }
}
