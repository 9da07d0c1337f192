import Foundation
import Testing

@testable import DeployKit

@Suite struct NixExpressionTests {
    @Test(arguments: [
        ("web1", #""web1""#),
        (#"a"b"#, #""a\"b""#),
        (#"back\slash"#, #""back\\slash""#),
        ("${builtins.abort 1}", #""\${builtins.abort 1}""#),
        ("$${x}", #""$\${x}""#),
        ("cost $5 {x}", #""cost $5 {x}""#),
        ("line\nnext\ttab\rcr", #""line\nnext\ttab\rcr""#),
        ("", #""""#),
    ])
    func testStringEscapesEverythingNixInterprets(text: String, literal: String) {
        #expect(NixExpression.string(text) == literal)
    }

    @Test func testAttrPathQuotesEveryComponent() {
        #expect(
            NixExpression.attrPath(["nodes", "web.example.com", "profiles"]) == #""nodes"."web.example.com"."profiles""#
        )
        #expect(NixExpression.attrPath([]) == "")
    }

    /// Medium: the one escaping function, checked by real Nix rather than by string comparison.
    @Test(.timeLimit(.minutes(1)))
    func testHostileStringsRoundTripThroughNix() throws {
        let executable = "/usr/bin/nix-instantiate"
        try #require(FileManager.default.isExecutableFile(atPath: executable))
        let hostile = "a\"b\\c${d}$${e}\nf\tg\r'h' ${ builtins.abort \"x\" }"
        let output = try run(executable, ["--eval", "--json", "--expr", NixExpression.string(hostile)])
        #expect(try JSONValue.parse(output) == .string(hostile))
    }

    /// Medium: `load` must not evaluate `path`, so a throwing profile still loads.
    @Test(.timeLimit(.minutes(1)))
    func testLoadExpressionNeverEvaluatesPath() throws {
        let executable = "/usr/bin/nix-instantiate"
        try #require(FileManager.default.isExecutableFile(atPath: executable))
        let deploy = """
            { sshUser = "x"; nodes = { web = { hostname = "h"; profiles = {
                system = { path = throw "boom"; user = "root"; }; nopath = { }; odd = 3; }; };
              bad = [ 1 ]; }; }
            """
        let expression = "(\(LoadExpression.applyFunction)) (\(deploy))"
        let output = try run(executable, ["--eval", "--strict", "--json", "--expr", expression])
        let expected: JSONValue = [
            "sshUser": "x",
            "nodes": [
                "bad": [1],
                "web": [
                    "hostname": "h",
                    "profiles": [
                        "system": ["user": "root"],
                        "nopath": ["__deployshHasPath": false],
                        "odd": 3,
                    ],
                ],
            ],
        ]
        #expect(try JSONValue.parse(output) == expected)
    }

    /// Medium: the plan expression evaluates only the named profiles and yields plain JSON.
    @Test(.timeLimit(.minutes(1)))
    func testPlanExpressionEvaluatesOnlySelectedPaths() throws {
        let executable = "/usr/bin/nix-instantiate"
        try #require(FileManager.default.isExecutableFile(atPath: executable))
        let deploy = """
            { nodes = { "web.example.com" = { profiles = {
                plain = { path = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x"; };
                attrs = { path = {
                  outPath = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-y"; drvPath = "/nix/store/c.drv"; }; };
                broken = { path = throw "not selected"; }; }; }; }; }
            """
        let refs = [
            ProfileRef(node: "web.example.com", profile: "plain"),
            ProfileRef(node: "web.example.com", profile: "attrs"),
        ]
        let expression = "(\(PlanExpression.applyFunction(for: refs))) (\(deploy))"
        let output = try run(executable, ["--eval", "--strict", "--json", "--expr", expression])
        let expected: JSONValue = [
            [
                "node": "web.example.com", "profile": "plain",
                "outputPath": "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x", "drvPath": nil,
            ],
            [
                "node": "web.example.com", "profile": "attrs",
                "outputPath": "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-y", "drvPath": "/nix/store/c.drv",
            ],
        ]
        #expect(try JSONValue.parse(output) == expected)
    }

    @Test func testPlanExpressionForNoProfilesIsAnEmptyList() {
        #expect(PlanExpression.applyFunction(for: []).hasSuffix("in\n[\n]\n"))
    }

    /// Runs a command with an empty environment apart from `HOME`, returning its standard output.
    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["HOME": NSTemporaryDirectory(), "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The selection file of a large `plan`, and the choice between it and inline text.
@Suite struct SelectionFileTests {
    @Test func testSelectionJSONReadsBackWithAnyCharactersInNames() throws {
        let refs = [
            ProfileRef(node: #"a"b\c"#, profile: "tab\there"),
            ProfileRef(node: "caf\u{E9}", profile: "nul\u{0}bell\u{7}"),
            ProfileRef(node: "${x}", profile: "-p"),
        ]
        let parsed = try JSONValue.parse(String(decoding: PlanExpression.selectionJSON(for: refs), as: UTF8.self))
        let read = try #require(parsed.arrayValue).map { entry in
            ProfileRef(node: entry["node"]?.stringValue ?? "?", profile: entry["profile"]?.stringValue ?? "?")
        }
        #expect(read == refs)
    }

    @Test func testASelectionThatMayNotFitInlineNeverDoes() {
        for count in [1, 100, 900, 1200, 1500, 3000] {
            let refs = (0..<count).map { ProfileRef(node: "node\($0)", profile: "system") }
            if !PlanExpression.mayFitInline(refs) {
                #expect(PlanExpression.applyFunction(for: refs).utf8.count > PlanExpression.inlineLimit)
            }
        }
        #expect(PlanExpression.mayFitInline([ProfileRef(node: "web", profile: "system")]))
        #expect(!PlanExpression.mayFitInline((0..<3000).map { ProfileRef(node: "node\($0)", profile: "system") }))
    }
}
