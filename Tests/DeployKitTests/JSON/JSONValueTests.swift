import Foundation
import Testing

@testable import DeployKit

@Suite struct JSONValueTests {
    @Test func testParseReadsEveryKindOfValue() throws {
        let value = try JSONValue.parse(#"{"a": [1, 2.5, "x", true, null], "b": {}}"#)
        #expect(value == ["a": [1, 2.5, "x", true, nil], "b": [:]])
        #expect(value["a"]?.arrayValue?.count == 5)
        #expect(value["missing"] == nil)
    }

    @Test func testIntegralNumbersAreEncodedAsIntegers() throws {
        let value: JSONValue = ["n": 30, "f": 1.5, "list": [true, "s", nil]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(text == #"{"f":1.5,"list":[true,"s",null],"n":30}"#)
        #expect(try JSONValue.parse(text) == value)
    }

    @Test func testBooleansStayBooleansAndNumbersStayNumbers() throws {
        #expect(try JSONValue.parse("true") == .bool(true))
        #expect(try JSONValue.parse("1") == .number(1))
    }

    @Test func testInvalidJSONThrows() {
        #expect(throws: (any Error).self) { try JSONValue.parse("{") }
    }

    @Test(
        arguments: [
            (JSONValue.null, "null"), (true, "boolean"), (3, "integer"), (2.5, "float"), ("s", "string"),
            ([1], "list"), (["a": 1], "attribute set"),
        ] as [(JSONValue, String)]
    )
    func testTypeNamesUseNixTerms(value: JSONValue, name: String) {
        #expect(value.typeName == name)
    }

    @Test func testHelpersReturnNilForOtherTypes() {
        let value: JSONValue = "text"
        #expect(value.stringValue == "text")
        #expect(value.boolValue == nil)
        #expect(value.intValue == nil)
        #expect(JSONValue.number(2.5).intValue == nil)
        #expect(JSONValue.array(["a", 1]).stringArrayValue == nil)
        #expect(JSONValue.array(["a", "b"]).stringArrayValue == ["a", "b"])
        #expect(JSONValue.withArticle("attribute set") == "an attribute set")
    }
}
