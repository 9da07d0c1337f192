import Testing

@testable import DeployShell

@Suite struct ParserTests {
    private func texts(_ source: String) throws -> [[String]] {
        try Parser.parse(source, file: "test.dsh").map { $0.words.map(\.text) }
    }

    @Test func testNewlinesAndSemicolonsSeparateStatements() throws {
        let source = "load ./fleet\nselect web1 web2; plan switch\n  nodes"
        let expected = [["load", "./fleet"], ["select", "web1", "web2"], ["plan", "switch"], ["nodes"]]
        #expect(try texts(source) == expected)
    }

    @Test func testStatementLocationIsItsFirstWord() throws {
        let marked = MarkedText("1️⃣a b;  2️⃣c\n\n   3️⃣'d' e", file: "deploy.dsh")
        let statements = try Parser.parse(marked.text, file: marked.file)
        #expect(
            statements.map(\.location) == [
                try marked.location("1️⃣"), try marked.location("2️⃣"), try marked.location("3️⃣"),
            ]
        )
        #expect(statements.allSatisfy { $0.location == $0.words.first?.location })
    }

    @Test(arguments: ["", "\n\n", ";;", " ; ;\n", "# comment\n   # another", "\r\n\r\n", "\\\n"])
    func testEmptyStatementsAreDropped(source: String) throws {
        #expect(try Parser.parse(source, file: "test.dsh").isEmpty)
    }

    @Test func testEmptyStatementsBetweenOthersAreDropped() throws {
        #expect(try texts("a;;b\n\n# note\n;c;") == [["a"], ["b"], ["c"]])
    }

    @Test func testQuotedEmptyWordIsAStatement() throws {
        #expect(try texts("''") == [[""]])
    }

    @Test func testContinuedStatementIsOneStatement() throws {
        let marked = MarkedText("deploy \\\n  1️⃣web1\n2️⃣nodes")
        let statements = try Parser.parse(marked.text, file: marked.file)
        #expect(statements.map { $0.words.map(\.text) } == [["deploy", "web1"], ["nodes"]])
        #expect(statements.first?.words.last?.location == (try marked.location("1️⃣")))
        #expect(statements.last?.location == (try marked.location("2️⃣")))
    }

    @Test(arguments: [
        ("select web1 'web2", "inspect.dsh:1:13: error: unterminated single quote"),
        ("select \"web1", "inspect.dsh:1:8: error: unterminated double quote"),
        ("nodes\nshow 'a\nb\n", "inspect.dsh:2:6: error: unterminated single quote"),
        ("echo a\"b\\\"", "inspect.dsh:1:7: error: unterminated double quote"),
        ("ok; 🚀 \"x", "inspect.dsh:1:7: error: unterminated double quote"),
        ("\r\nx '", "inspect.dsh:2:3: error: unterminated single quote"),
        ("plan switch \\", "inspect.dsh:1:13: error: backslash at end of input"),
        ("a\\", "inspect.dsh:1:2: error: backslash at end of input"),
    ])
    func testSyntaxErrorsAreReportedAtTheirExactLocation(source: String, expected: String) throws {
        let error = try #require(throws: SyntaxError.self) { try Parser.parse(source, file: "inspect.dsh") }
        #expect("\(error.location): error: \(error.message)" == expected)
    }

    @Test func testUnterminatedQuoteIsReportedAtTheMarkedOpeningQuote() throws {
        let marked = MarkedText("select web1 1️⃣'web2 # not a comment", file: "inspect.dsh")
        let error = try #require(throws: SyntaxError.self) { try Parser.parse(marked.text, file: marked.file) }
        #expect(error.location == (try marked.location("1️⃣")))
        #expect(error.message == "unterminated single quote")
    }

    @Test(arguments: ["'", "\""])
    func testUnterminatedQuoteHintTellsHowToFixIt(source: String) throws {
        let error = try #require(throws: SyntaxError.self) { try Parser.parse(source, file: "x.dsh") }
        #expect(error.hint == "Close the quote, or escape it with a backslash.")
    }

    @Test(arguments: [
        ("nodes", false),
        ("", false),
        ("select 'web1", true),
        ("select \"web1", true),
        ("select \"web1\\\"", true),
        ("select 'web1\n", true),
        ("deploy \\", true),
        ("deploy \\\n", true),
        ("deploy \\\r\n", true),
        ("deploy \\\nweb1", false),
        ("deploy \\\\", false),
        ("echo 'a' \"b\"", false),
        ("echo # it's", false),
        ("echo a # \\", false),
        ("\"a\\", true),
    ])
    func testNeedsContinuationWhenInputEndsInsideAQuoteOrAfterABackslash(source: String, expected: Bool) {
        #expect(Parser.needsContinuation(source) == expected)
    }
}
