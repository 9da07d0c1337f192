import Testing

@testable import DeployKit

@Suite struct NameSuggestionsTests {
    @Test(arguments: [
        ("web3", ["web1", "web2", "db1"], ["web1", "web2"]),
        ("sytem", ["system", "home", "app"], ["system"]),
        ("SYSTEM", ["system"], ["system"]),
        ("nodse", ["nodes", "node", "load", "show"], ["node", "nodes"]),
        ("sys", ["system", "home"], ["system"]),
        ("x", ["web1", "db1"], []),
        ("", ["web1"], []),
        ("web1", ["web1"], []),
    ])
    func testNearestNames(name: String, candidates: [String], expected: [String]) {
        #expect(NameSuggestions.nearest(to: name, in: candidates) == expected)
    }

    @Test func testLimitCapsTheSuggestions() {
        #expect(NameSuggestions.nearest(to: "web", in: ["web1", "web2", "web3"], limit: 1) == ["web1"])
    }

    @Test func testLevenshteinDistance() {
        #expect(NameSuggestions.levenshtein(Array("kitten"), Array("sitting")) == 3)
        #expect(NameSuggestions.levenshtein(Array(""), Array("abc")) == 3)
    }
}
