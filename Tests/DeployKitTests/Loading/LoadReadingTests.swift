import Foundation
import Testing

@testable import DeployKit

/// `load`'s reader in parts must give exactly what parsing and reading in one go gives.
@Suite struct LoadReadingTests {
    /// A `deploy` output as Nix prints it (members sorted), with `count` nodes.
    static func output(nodes count: Int, extra: String = "") -> String {
        let nodes = (0..<count).map { index in
            let name = "node" + String(String(10000 + index).dropFirst())
            return #""\#(name)":{"hostname":"10.0.\#(index / 250).\#(index % 250)","#
                + #""profiles":{"app":{"confirmTimeout":60,"user":"a\"pp"},"#
                + #""system":{"user":"root"}},"profilesOrder":["system"]\#(extra)}"#
        }
        return #"{"nodes":{"# + nodes.joined(separator: ",") + #"},"sshUser":"deploy"}"#
    }

    static func plain(_ text: String) throws -> (raw: JSONValue, config: DeployConfig) {
        let raw = try JSONValue.parse(text)
        return (raw, try DeployConfig(json: raw))
    }

    @Test(arguments: [0, 1, 199, 400, 1001])
    func testPartsEqualOneGo(nodes: Int) async throws {
        let text = Self.output(nodes: nodes)
        let parts = try await LoadReading.read(text)
        let oneGo = try Self.plain(text)
        #expect(parts.raw == oneGo.raw)
        #expect(parts.config == oneGo.config)
        #expect(parts.config.nodes.count == nodes)
    }

    @Test func testBlanksAndEscapesAnywhereReadAlike() async throws {
        let text = Self.output(nodes: 450).replacingOccurrences(of: ",", with: " ,\n ")
            .replacingOccurrences(of: ":{", with: " : {\t")
        let parts = try await LoadReading.read(text)
        #expect(parts.raw == (try Self.plain(text)).raw)
        #expect(parts.config.nodes.count == 450)
    }

    @Test func testErrorsAreTheSameAsInOneGo() async throws {
        let text = Self.output(nodes: 500, extra: #","sshOpts":null"#)
        let expected = try #require(throws: ConfigError.self) { try Self.plain(text) }
        await #expect(throws: expected) { _ = try await LoadReading.read(text) }
    }

    @Test(arguments: [
        #"[1, 2]"#,
        #"{"sshUser": "x"}"#,
        #"{"nodes": [1]}"#,
        #"{"nodes": {}, "nodes": {"a": {"hostname": "h", "profiles": {}}}}"#,
        #"{"nodes": {"b": {"hostname": "h", "profiles": {}}, "a": {"hostname": "h", "profiles": {}}}}"#,
        #"{"nodes": {"a": {"hostname": "1", "profiles": {}}, "a": {"hostname": "2", "profiles": {}}}}"#,
    ])
    func testOddShapesReadAsInOneGo(text: String) async throws {
        switch (Result { try Self.plain(text) }, await Result { try await LoadReading.read(text) }) {
        case (.success(let oneGo), .success(let parts)):
            #expect(parts.raw == oneGo.raw)
            #expect(parts.config == oneGo.config)
        case (.failure(let oneGo as ConfigError), .failure(let parts as ConfigError)):
            #expect(parts == oneGo)
        case (let oneGo, let parts):
            Issue.record("one go: \(oneGo), in parts: \(parts)")
        }
    }

    /// `text` as Nix's pipe might deliver it: in pieces of `size` bytes.
    static func pieces(_ text: String, size: Int) -> AsyncStream<[UInt8]> {
        let bytes = Array(text.utf8)
        return AsyncStream { continuation in
            for start in stride(from: 0, to: bytes.count, by: size) {
                continuation.yield(Array(bytes[start..<min(bytes.count, start + size)]))
            }
            continuation.finish()
        }
    }

    @Test(arguments: [1, 7, 4096, 1 << 20])
    func testReadingWhileNixPrintsEqualsOneGo(pieceSize: Int) async throws {
        for text in [
            Self.output(nodes: 450),
            Self.output(nodes: 450).replacingOccurrences(of: ",", with: " ,\n ").replacingOccurrences(
                of: "{",
                with: "{ "
            ),
            #"{"a":{"nodes":{"x":1}},"nodes":{"n\"odes":{"hostname":"h","profiles":{}}},"z":"nodes"}"#,
        ] {
            let streamed = try await LoadReading.read(streaming: Self.pieces(text, size: pieceSize), readAheadBytes: 64)
            let oneGo = try Self.plain(text)
            #expect(streamed.raw == oneGo.raw)
            #expect(streamed.config == oneGo.config)
        }
    }

    @Test func testReadingWhileNixPrintsGivesTheSameErrors() async throws {
        let invalid = Self.output(nodes: 500, extra: #","sshOpts":null"#)
        let expected = try #require(throws: ConfigError.self) { try Self.plain(invalid) }
        await #expect(throws: expected) {
            _ = try await LoadReading.read(streaming: Self.pieces(invalid, size: 512), readAheadBytes: 256)
        }
        // Two broken nodes far apart: the first one is reported, whichever part ends first.
        var broken = Self.output(nodes: 900)
        broken = broken.replacingOccurrences(
            of: #""node0010":{"hostname":"10.0.0.10""#,
            with: #""node0010":{"hostname":tru"#
        )
        broken = broken.replacingOccurrences(
            of: #""node0800":{"hostname":"10.0.3.50""#,
            with: #""node0800":{"hostname":nul"#
        )
        let first = try #require(throws: JSONParser.ParseError.self) { try Self.plain(broken) }
        for _ in 0..<5 {
            await #expect(throws: first) {
                _ = try await LoadReading.read(streaming: Self.pieces(broken, size: 4096), readAheadBytes: 1024)
            }
            await #expect(throws: first) { _ = try await LoadReading.read(broken) }
        }
    }

    @Test func testReadingWhileNixExitsCountsOnlyWhenBlanksFollow() async throws {
        let text = Self.output(nodes: 300)
        let blanks = try await LoadReading.read(streaming: JSONCompletionTests.pieces([text, "\n", " "]))
        #expect(blanks.config == (try Self.plain(text)).config)
        let expected = try #require(throws: JSONParser.ParseError.self) { try Self.plain(text + "\n{}") }
        await #expect(throws: expected) {
            _ = try await LoadReading.read(streaming: JSONCompletionTests.pieces([text, "\n{}"]))
        }
    }

    @Test(arguments: [#"{"nodes": {"a": 1,"#, #"{"nodes": {"a": {"x": "unterminated}}}"#, #"{"nodes": {}} trailing"#])
    func testBrokenJSONIsAParseError(text: String) async {
        await #expect(throws: JSONParser.ParseError.self) { _ = try await LoadReading.read(text) }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
