import Testing

@testable import DeployKit

/// The sorted-array object model: byte-exact names, JSON's "last one wins", and the fast
/// paths that `load` of a large flake relies on giving the same answers as the slow ones.
@Suite struct JSONObjectTests {
    @Test func testAMissingMemberIsNilNotNull() {
        let object: JSONObject = ["a": 1, "n": nil]
        #expect(object["missing"] == nil)
        #expect(object["n"] == .some(.null))
    }

    @Test func testUnsortedInputIsSortedByBytesAndTheLastDuplicateWins() {
        let object = JSONObject(members: [("b", 1), ("a", 2), ("b", 3), ("Z", 4)])
        #expect(object.keys == ["Z", "a", "b"])
        #expect(object["b"] == 3)
        #expect(object.count == 3)
    }

    @Test func testNamesDifferingOnlyInNormalFormStayTwoMembers() throws {
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        let object = try JSONValue.parse(#"{"\#(nfd)": 1, "\#(nfc)": 2}"#).objectValue
        #expect(object?.count == 2)
        #expect(object?[nfc] == 2)
        #expect(object?[nfd] == 1)
    }

    @Test func testSettingAndRemovingKeepTheOrder() {
        var object: JSONObject = ["m": 1]
        object["z"] = 2
        object["a"] = 3
        object["m"] = nil
        object["q"] = nil
        #expect(object.keys == ["a", "z"])
        #expect(Array(object.map(\.value)) == [3, 2])
    }

    @Test func testRepeatedKeysAreReadAlikeWhateverTheirLength() throws {
        let long = String(repeating: "k", count: 40)
        let text = "[" + (0..<50).map { #"{"\#(long)": \#($0), "short": \#($0)}"# }.joined(separator: ",") + "]"
        let values = try #require(try JSONValue.parse(text).arrayValue)
        for (index, value) in values.enumerated() {
            #expect(value[long] == .number(Double(index)))
            #expect(value["short"] == .number(Double(index)))
        }
    }

    @Test func testExactNameComparesBytes() {
        #expect(ExactName.compare("a", "b") < 0)
        #expect(ExactName.compare("b", "a") > 0)
        #expect(ExactName.compare("ab", "a") > 0)
        #expect(ExactName.compare("", "") == 0)
        #expect(ExactName.same("caf\u{E9}", "caf\u{E9}"))
        #expect(!ExactName.same("caf\u{E9}", "cafe\u{301}"))
    }

    @Test func testSettingKeysAreMatchedExactly() {
        for key in SettingKey.allCases {
            #expect(SettingKey(exactly: key.rawValue) == key)
            #expect(SettingKey(exactly: key.rawValue + " ") == nil)
            #expect(SettingKey(exactly: key.rawValue.uppercased()) == nil)
        }
        #expect(SettingKey(exactly: "") == nil)
        #expect(SettingKey(exactly: "u\u{301}ser") == nil)
    }
}
