import Testing

@testable import DeployKit

@Suite struct SelectorTests {
    private func select(_ targets: [String]) throws -> [String] {
        let patterns = try targets.map { text throws(SelectionError) in try TargetParser.parse(text) }
        return try Selector.resolve(patterns, in: ConfigFixtures.config()).map(\.description)
    }

    @Test func testANodeSelectsAllItsProfilesInDeployOrder() throws {
        #expect(try select(["web1"]) == ["web1.system", "web1.app", "web1.aaa"])
    }

    @Test func testResultIsInDeployOrderAndDeduplicated() throws {
        #expect(
            try select(["web2", "web1.app", ".#web1", "db1.system", "web1.app"]) == [
                "db1.system", "web1.system", "web1.app", "web1.aaa", "web2.system",
            ]
        )
    }

    @Test func testGlobsSelectAcrossNodes() throws {
        #expect(
            try select(["*.system"]) == [
                "db1.system", #""web.example.com".system"#, "web1.system", "web2.system",
            ]
        )
        #expect(try select(["web?"]) == ["web1.system", "web1.app", "web1.aaa", "web2.system"])
        #expect(try select(["web*.a*"]) == ["web1.app", "web1.aaa"])
        #expect(try select(["."]).count == 7)
    }

    @Test func testAGlobNodeWithAnExactProfileSkipsNodesWithoutIt() throws {
        #expect(try select(["web?.app"]) == ["web1.app"])
    }

    @Test func testQuotedNamesWithDotsSelect() throws {
        #expect(try select([#".#"web.example.com".system"#]) == [#""web.example.com".system"#])
    }

    @Test func testUnknownNodeSuggestsNearestNames() throws {
        let error = SelectionError.unknownNode("web3", suggestions: ["web1", "web2"])
        #expect(throws: error) { try select(["web3"]) }
        #expect(error.message == "no node named 'web3'")
        #expect(error.hint == "Did you mean 'web1' or 'web2'? Run `nodes` to list them.")
    }

    @Test func testUnknownNodeWithoutSuggestionsPointsAtNodes() throws {
        #expect(throws: SelectionError.unknownNode("zzzzzz", suggestions: [])) { try select(["zzzzzz"]) }
        #expect(
            SelectionError.unknownNode("zzzzzz", suggestions: []).hint == "Run `nodes` to list what the flake defines."
        )
    }

    @Test func testUnknownProfileSuggestsTheNodesProfiles() throws {
        let error = SelectionError.unknownProfile(node: "web1", profile: "sytem", suggestions: ["system"])
        #expect(throws: error) { try select(["web1.sytem"]) }
        #expect(error.message == "node 'web1' has no profile 'sytem'")
        #expect(error.hint == "Did you mean 'system'? Run `nodes` to list them.")
    }

    @Test func testAGlobMatchingNothingIsAnError() throws {
        #expect(throws: SelectionError.noMatch("db-*")) { try select(["db-*"]) }
        #expect(throws: SelectionError.noMatch("web1.x*")) { try select(["web1.x*"]) }
        #expect(SelectionError.noMatch("db-*").message == "no target matches 'db-*'")
    }

    @Test func testProfileRefDescriptionQuotesComponentsWithDots() {
        #expect(ProfileRef(node: "web1", profile: "system").description == "web1.system")
        #expect(ProfileRef(node: "web.example.com", profile: "system").description == #""web.example.com".system"#)
        #expect(ProfileRef(node: #"a"b"#, profile: "my profile").description == #""a\"b"."my profile""#)
    }

    @Test func testProfileRefDescriptionParsesBack() throws {
        let ref = ProfileRef(node: #"we"b.1"#, profile: "sys.tem")
        let pattern = try TargetParser.parse(ref.description)
        #expect(pattern == TargetPattern(node: ref.node, profile: ref.profile))
    }
}

@Suite struct TagSelectionTests {
    private let config = DeployConfig(nodes: [
        Node(name: "a", profiles: [Profile(name: "system")], tags: ["web"]),
        Node(name: "b", profiles: [Profile(name: "system"), Profile(name: "app")], tags: ["web", "canary"]),
        Node(name: "c", profiles: [Profile(name: "system")], tags: ["db"]),
    ])

    private func select(_ targets: [String]) throws -> [String] {
        let patterns = try targets.map { text throws(SelectionError) in try TargetParser.parse(text) }
        return try Selector.resolve(patterns, in: config).map(\.description)
    }

    @Test func testATagSelectsEveryNodeWithIt() throws {
        #expect(try select(["@web"]) == ["a.system", "b.app", "b.system"])
        #expect(try select(["@web.app"]) == ["b.app"])
        #expect(try select([".#@canary"]) == ["b.app", "b.system"])
        #expect(try select(["@canary", "c", "a*"]) == ["a.system", "b.app", "b.system", "c.system"])
        #expect(try TargetParser.parse(".#@web").description == ".#@web")
    }

    @Test func testAnUnknownTagSuggestsTheNearest() {
        #expect(throws: SelectionError.unknownTag("canry", suggestions: ["canary"])) { try select(["@canry"]) }
        #expect(throws: SelectionError.self) { try TargetParser.parse("@") }
        #expect(throws: SelectionError.self) { try TargetParser.parse("@a.b.c") }
    }
}
