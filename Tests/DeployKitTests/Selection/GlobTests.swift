import Testing

@testable import DeployKit

@Suite struct GlobTests {
    @Test(arguments: [
        ("web-*", "web-1", true), ("web-*", "web-", true), ("web-*", "db-1", false),
        ("*", "", true), ("*", "anything", true), ("?", "a", true), ("?", "", false), ("?", "ab", false),
        ("web?", "web1", true), ("web?", "web10", false), ("*.com", "web.example.com", true),
        ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false), ("*b", "abab", true),
        ("plain", "plain", true), ("plain", "plainer", false), ("**x", "x", true),
    ])
    func testWildcardsMatchWholeNames(pattern: String, name: String, matches: Bool) {
        #expect(Glob(pattern).matches(name) == matches)
    }

    @Test func testWildcardsAreDetected() {
        #expect(Glob.hasWildcards("web-*"))
        #expect(Glob.hasWildcards("web?"))
        #expect(Glob.hasWildcards("web1") == false)
    }
}
