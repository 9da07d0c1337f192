import Testing

@testable import DeployKit

/// Small: the JSON reader agrees with the JSON grammar on what Nix prints, and refuses the rest.
@Suite struct JSONParserTests {
    @Test func testReadsNestedValuesOfEveryKind() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": []} "#)
        #expect(value == ["a": [1, -2500, true, false, nil], "b": ["c": "d"], "e": []])
    }

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""q\"b\\s\/""#, #"q"b\s/"#),
        (#""\n\t\r\b\f""#, "\n\t\r\u{8}\u{C}"),
        (#""\u00e9\u20ac""#, "é€"),
        (#""\ud83d\ude80 rocket""#, "🚀 rocket"),
        (#""${x} ü""#, "${x} ü"),
    ])
    func testDecodesStringEscapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test(arguments: [#"{"a" 1}"#, "[1, 2", #""open"#, "tru", "[1] x", #""\q""#, "{,}", ""])
    func testRefusesBrokenJSON(text: String) {
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse(text) }
    }

    @Test func testRefusesNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse(deep) }
    }
}
