import Synchronization
import Testing

@testable import DeployKit

/// Nix's JSON is read as soon as its top-level value closes (while Nix still exits): the scanner
/// must find exactly that point, and the early result must equal reading the whole text.
@Suite struct JSONCompletionTests {
    /// Where the scanner says `text`, arriving in pieces of `size` bytes, is complete.
    static func end(of text: String, size: Int) -> Int? {
        let bytes = Array(text.utf8)
        var completion = JSONCompletion()
        var received = 0
        while received < bytes.count, completion.end == nil {
            received = min(bytes.count, received + size)
            bytes[..<received].withUnsafeBufferPointer { completion.scan($0) }
        }
        return completion.end
    }

    @Test(arguments: [1, 2, 1000])
    func testTheValueEndsAtItsClosingBracket(pieceSize: Int) {
        #expect(Self.end(of: #"{"a":[1,{"b":"}]\"{"}]}"#, size: pieceSize) == 23)
        #expect(Self.end(of: " [ [], {} ]\n", size: pieceSize) == 11)
        #expect(Self.end(of: #"{"a":"x"}  {"b":1}"#, size: pieceSize) == 9)
        #expect(Self.end(of: #"{"a":"unterminated}"#, size: pieceSize) == nil)
        #expect(Self.end(of: "[[]", size: pieceSize) == nil)
    }

    @Test(arguments: [#""a string""#, "12", "true", "null", "1 {}"])
    func testAScalarIsNeverCompleteEarly(text: String) {
        #expect(Self.end(of: text, size: 1) == nil)
    }

    static func pieces(_ parts: [String]) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            for part in parts { continuation.yield(Array(part.utf8)) }
            continuation.finish()
        }
    }

    @Test func testTheEarlyReadingCountsOnlyWhenBlanksFollow() async throws {
        let value = try await FlakeEvaluator.readWhenComplete(Self.pieces([#"{"a":"#, #"[1,2]}"#, " \n"])) {
            try JSONParser.parse($0)
        }
        #expect(value == (try JSONParser.parse(#"{"a":[1,2]}"#)))
        let whole = #"{"a":[1,2]} x"#
        let expected = try #require(throws: JSONParser.ParseError.self) { try JSONParser.parse(whole) }
        await #expect(throws: expected) {
            _ = try await FlakeEvaluator.readWhenComplete(Self.pieces([#"{"a":[1,2]}"#, " x"])) {
                try JSONParser.parse($0)
            }
        }
    }

    @Test func testTheValueIsReadBeforeTheOutputEnds() async throws {
        let (pieces, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let parsedEarly = Mutex(false)
        let producer = Task {
            continuation.yield(Array(#"{"nodes":{}}"#.utf8))
            // Bounded: the end of the output is withheld until the value was read (or 5 s pass).
            for _ in 0..<500 where !parsedEarly.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
            continuation.yield(Array("\n".utf8))
            continuation.finish()
        }
        let value = try await FlakeEvaluator.readWhenComplete(pieces) { bytes in
            parsedEarly.withLock { $0 = true }
            return try JSONParser.parse(bytes)
        }
        await producer.value
        #expect(value == (try JSONParser.parse(#"{"nodes":{}}"#)))
        #expect(parsedEarly.withLock { $0 })
    }
}
