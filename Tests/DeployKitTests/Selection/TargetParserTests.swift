import Testing

@testable import DeployKit

@Suite struct TargetParserTests {
    @Test(arguments: [
        ("web1", TargetPattern(node: "web1")),
        ("web1.system", TargetPattern(node: "web1", profile: "system")),
        (".#web1", TargetPattern(flake: ".", node: "web1")),
        (".#web1.system", TargetPattern(flake: ".", node: "web1", profile: "system")),
        ("path:/srv/fleet#db1.backup", TargetPattern(flake: "path:/srv/fleet", node: "db1", profile: "backup")),
        ("github:o/r?ref=main#web1", TargetPattern(flake: "github:o/r?ref=main", node: "web1")),
        (#".#"web.example.com".system"#, TargetPattern(flake: ".", node: "web.example.com", profile: "system")),
        (#""web.example.com".system"#, TargetPattern(node: "web.example.com", profile: "system")),
        (#""web.example.com""#, TargetPattern(node: "web.example.com")),
        (#"web1."my.profile""#, TargetPattern(node: "web1", profile: "my.profile")),
        (#""a\"b\\c#d".x"#, TargetPattern(node: #"a"b\c#d"#, profile: "x")),
        ("web-*", TargetPattern(node: "web-*")),
        ("*.system", TargetPattern(node: "*", profile: "system")),
        (".#web?.sys*", TargetPattern(flake: ".", node: "web?", profile: "sys*")),
        (".", TargetPattern(flake: ".", node: "*")),
        (".#", TargetPattern(flake: ".", node: "*")),
        ("path:/srv/fleet", TargetPattern(flake: "path:/srv/fleet", node: "*")),
    ])
    func testEverySyntaxParses(text: String, expected: TargetPattern) throws {
        #expect(try TargetParser.parse(text) == expected)
    }

    @Test(arguments: [
        ("", "bad target '': the target is empty"),
        (#""web.example.com"#, #"bad target '"web.example.com': unterminated quote"#),
        (#".#"web"#, #"bad target '.#"web': unterminated quote"#),
        ("web1.", "bad target 'web1.': empty profile name"),
        (".#.system", "bad target '.#.system': empty node name"),
        (
            "a.b.c",
            #"bad target 'a.b.c': too many '.'-separated names; quote a name that contains a dot: "web.example.com".system"#
        ),
        (#""a"b.c"#, #"bad target '"a"b.c': unexpected 'b' after a quoted name"#),
        (#"a"b""#, #"bad target 'a"b"': a quote must start a name"#),
        ("#web1", "bad target '#web1': no flake before '#'; write '.#' for the flake in this directory"),
        (".#a#b", "bad target '.#a#b': more than one '#'"),
        ("web 1", "bad target 'web 1': a name with blanks must be quoted"),
        ("a..b", "bad target 'a..b': empty profile name"),
    ])
    func testBadTargetsAreReportedVerbatim(text: String, message: String) {
        #expect(throws: SelectionError.self) { try TargetParser.parse(text) }
        do {
            _ = try TargetParser.parse(text)
        } catch {
            #expect(error.message == message)
            #expect(error.hint?.hasPrefix("Write a target as NODE, NODE.PROFILE or FLAKE#NODE.PROFILE") == true)
        }
    }

    @Test func testPatternDescriptionQuotesNamesWithDots() {
        let dotted = TargetPattern(flake: ".", node: "web.example.com", profile: "system")
        #expect(dotted.description == #".#"web.example.com".system"#)
        #expect(TargetPattern(node: "db-*").description == "db-*")
        #expect(TargetPattern(node: "*", profile: "system").isGlob)
        #expect(TargetPattern(node: "web1", profile: "system").isGlob == false)
    }
}
