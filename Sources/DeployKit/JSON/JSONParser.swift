#if canImport(Glibc)
    import Glibc
#endif

/// A small, fast JSON reader for the output of `nix eval --json`.
///
/// Foundation's `JSONDecoder` decodes an untyped value by trying every type in turn, which
/// makes loading a 1000-node flake five times slower than Nix's own evaluation; this reads
/// the bytes once, in place (no copy of the text, no bounds-checked array).
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// Member names seen so far: a fleet repeats the same few (`hostname`, `profiles`, `user`).
    private var keys = KeyTable()

    /// A JSON text that could not be read, with the byte offset where reading stopped.
    struct ParseError: Error, Hashable {
        var offset: Int
        var reason: String
    }

    /// A parser over `bytes`, which must stay valid while it runs, starting at `index`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// The byte offset reached.
    var offset: Int { index }

    /// Parses one JSON value that must make up the whole text (blanks aside).
    static func parse(_ text: String) throws(ParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { bytes in Result { () throws(ParseError) in try whole(bytes) } }.get()
    }

    /// Parses one JSON value that must make up all of `bytes` (blanks aside).
    static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { bytes in Result { () throws(ParseError) in try whole(bytes) } }.get()
    }

    private static func whole(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        let value = try parser.value(depth: 0)
        parser.skipBlanks()
        guard parser.index == parser.bytes.count else { throw parser.error("trailing characters") }
        return value
    }

    func error(_ reason: String) -> ParseError {
        ParseError(offset: index, reason: reason)
    }

    /// The whole text as one object whose member `key`, when it is an object itself, is not
    /// read but located: the offsets where its members start and of its closing `}` (for
    /// `LoadReading` to read its parts concurrently). `nil` when the text is not an object.
    mutating func object(deferring key: String) throws(ParseError) -> (
        members: [JSONObject.Member], deferred: (starts: [Int], ends: [Int])?
    )? {
        skipBlanks()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        var members: [JSONObject.Member] = []
        var deferred: (starts: [Int], ends: [Int])?
        try forEachMember { parser, _, name throws(ParseError) in
            if deferred == nil, ExactName.same(name, key), parser.index < parser.bytes.count,
                parser.bytes[parser.index] == UInt8(ascii: "{")
            {
                deferred = try parser.memberStarts()
            } else {
                members.append(JSONObject.Member(name: ExactName(name), value: try parser.value(depth: 1)))
            }
        }
        skipBlanks()
        guard index == bytes.count else { throw error("trailing characters") }
        return (members, deferred)
    }

    /// Reads `"name": value` members separated by `,` up to `end`, the end of the last value
    /// (a run of members cut out of an object by `memberStarts`): one part read on its own.
    mutating func members(upTo end: Int) throws(ParseError) -> [JSONObject.Member] {
        var members: [JSONObject.Member] = []
        while true {
            skipBlanks()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string(isKey: true)
            skipBlanks()
            guard index < end, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            members.append(JSONObject.Member(name: ExactName(key), value: try value(depth: 2)))
            skipBlanks()
            if index >= end { return members }
            guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ','") }
            index += 1
        }
    }

    /// At an object (`{`): the offsets where each member starts and where its value ends,
    /// found by skipping values without reading them. The parser ends after the object.
    mutating func memberStarts() throws(ParseError) -> (starts: [Int], ends: [Int]) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw error("expected an object") }
        var starts: [Int] = []
        var ends: [Int] = []
        try forEachMember(readingNames: false) { parser, start, _ throws(ParseError) in
            starts.append(start)
            try parser.skipValue()
            ends.append(parser.index)
        }
        return (starts, ends)
    }

    /// At an object's `{`: walks its members to the closing `}`, handing each to `member` with
    /// the offset where it starts and its name (empty when `readingNames` is false: the name is
    /// skipped), the parser standing at its value; `member` must move past the value.
    @inline(__always)
    private mutating func forEachMember(
        readingNames: Bool = true,
        _ member: (inout JSONParser, _ start: Int, _ name: String) throws(ParseError) -> Void
    ) throws(ParseError) {
        index += 1
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipBlanks()
            let start = index
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
            var name = ""
            if readingNames { name = try string(isKey: true) } else { try skipString() }
            skipBlanks()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipBlanks()
            try member(&self, start, name)
            skipBlanks()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            } else {
                throw error("expected ',' or '}'")
            }
        }
    }

    /// Moves past one value without building it (brackets counted outside strings).
    private mutating func skipValue() throws(ParseError) {
        skipBlanks()
        var depth = 0
        repeat {
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return }  // the end of the enclosing object or list
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 { return }
            default:
                break
            }
            index += 1
        } while depth > 0 || (index < bytes.count && !Self.endsScalar(bytes[index]))
    }

    /// Whether `byte` ends a number or literal at the top of a value.
    private static func endsScalar(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || isBlank(byte)
    }

    /// Whether `byte` is a JSON blank (space, line feed, carriage return, tab).
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Moves past a string (at its opening quote), escapes included.
    private mutating func skipString() throws(ParseError) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 2
            default:
                index += 1
            }
        }
        throw error("unterminated string")
    }

    mutating func skipBlanks() {
        while index < bytes.count, Self.isBlank(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws(ParseError) -> JSONValue {
        guard depth < 512 else { throw error("nested too deeply") }
        skipBlanks()
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(ParseError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count, let base = bytes.baseAddress,
            memcmp(base + index, word.utf8Start, count) == 0
        else {
            throw error("unexpected character")
        }
        index += count
        return value
    }

    private mutating func object(depth: Int) throws(ParseError) -> JSONValue {
        var members: [JSONObject.Member] = []
        try forEachMember { parser, _, name throws(ParseError) in
            members.append(JSONObject.Member(name: ExactName(name), value: try parser.value(depth: depth + 1)))
        }
        return .object(JSONObject(read: members))
    }

    private mutating func array(depth: Int) throws(ParseError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipBlanks()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw error("expected ',' or ']'")
            }
        }
    }

    mutating func string(isKey: Bool = false) throws(ParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
            return isKey ? keys.intern(text) : String(decoding: text, as: UTF8.self)
        }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: scalars, as: UTF8.self) }
            guard byte == UInt8(ascii: "\\") else {
                scalars.append(byte)
                continue
            }
            guard index < bytes.count else { break }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"): scalars += try unicodeEscape()
            default: throw error("bad escape")
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws(ParseError) -> UInt32 {
        guard index + 4 <= bytes.count,
            let value = UInt32(
                String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + 4]), as: UTF8.self),
                radix: 16
            )
        else { throw error("bad \\u escape") }
        index += 4
        return value
    }

    private mutating func unicodeEscape() throws(ParseError) -> [UInt8] {
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
        {
            index += 2
            let low = try hex4()
            code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
        }
        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func number() throws(ParseError) -> JSONValue {
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) || "+-.eE".utf8.contains(bytes[index]) {
            index += 1
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard index > start, let value = Double(text) else {
            throw error("unexpected character")
        }
        return .number(value)
    }
}

/// The member names a parse has made, reused when the same bytes come again.
///
/// One slot per (length, first byte, last byte) hash: no hashing of the whole name, no growth;
/// a name whose slot holds another one is simply made anew.
private struct KeyTable {
    private var slots = [String?](repeating: nil, count: 256)

    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 64 else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let slot = (bytes.count &* 31 &+ Int(first) &* 7 &+ Int(last)) & 255
        if var known = slots[slot], known.utf8.count == bytes.count, let base = bytes.baseAddress {
            let isSame = known.withUTF8 { knownBytes in
                knownBytes.baseAddress.map { memcmp($0, base, bytes.count) == 0 } ?? false
            }
            if isSame { return known }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        slots[slot] = text
        return text
    }
}
