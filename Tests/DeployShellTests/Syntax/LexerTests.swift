import Testing

@testable import DeployShell

@Suite struct LexerTests {
    private func texts(_ source: String) throws -> [String] {
        try Lexer.tokenize(source, file: "test.dsh").compactMap { token in
            if case .word(let word) = token { word.text } else { nil }
        }
    }

    private func words(_ source: String) throws -> [Word] {
        try Lexer.tokenize(source, file: "test.dsh").compactMap { token in
            if case .word(let word) = token { word } else { nil }
        }
    }

    @Test(arguments: [
        ("select web1 web2", ["select", "web1", "web2"]),
        ("  a \t b\t", ["a", "b"]),
        ("'a  b' \"c  d\"", ["a  b", "c  d"]),
        ("a'b c'\"d\"", ["ab cd"]),
        ("'' \"\" x", ["", "", "x"]),
        ("'it''s'", ["its"]),
        ("\"it's\" 'say \"hi\"'", ["it's", "say \"hi\""]),
    ])
    func testQuotesGroupBlanksAndAdjacentPartsConcatenate(source: String, expected: [String]) throws {
        #expect(try texts(source) == expected)
    }

    @Test(arguments: [
        ("a\\ b", ["a b"]),
        ("\\'x\\\" \\\\", ["'x\"", "\\"]),
        ("\\;a \\#b", [";a", "#b"]),
        ("'a\\b\\'", ["a\\b\\"]),
        ("\"\\\" \\\\ \\$ \\`\"", ["\" \\ $ `"]),
        ("\"\\a \\n \\'\"", ["\\a \\n \\'"]),
    ])
    func testBackslashEscapesFollowShellRules(source: String, expected: [String]) throws {
        #expect(try texts(source) == expected)
    }

    @Test(arguments: [
        ("plain", false),
        ("'quoted'", true),
        ("\"quoted\"", true),
        ("half'quoted'", true),
        ("esc\\aped", true),
        ("con\\\ntinued", false),
    ])
    func testIsQuotedWhenAnyPartIsQuotedOrEscaped(source: String, isQuoted: Bool) throws {
        let word = try #require(try words(source).first)
        #expect(word.isQuoted == isQuoted)
    }

    @Test func testWordLocationsPointAtTheFirstCharacterIncludingQuotes() throws {
        let marked = MarkedText("1️⃣select 2️⃣'web 1' 3️⃣x\"y\"\n  4️⃣\"z\"")
        let locations = try words(marked.text).map(\.location)
        #expect(
            locations == [
                try marked.location("1️⃣"), try marked.location("2️⃣"), try marked.location("3️⃣"),
                try marked.location("4️⃣"),
            ]
        )
    }

    @Test func testSemicolonsAndNewlinesBecomeSeparatorTokens() throws {
        let marked = MarkedText("1️⃣a2️⃣;3️⃣b4️⃣\n5️⃣c")
        let tokens = try Lexer.tokenize(marked.text, file: marked.file)
        #expect(
            tokens == [
                .word(Word(text: "a", location: try marked.location("1️⃣"))),
                .semicolon(try marked.location("2️⃣")),
                .word(Word(text: "b", location: try marked.location("3️⃣"))),
                .newline(try marked.location("4️⃣")),
                .word(Word(text: "c", location: try marked.location("5️⃣"))),
            ]
        )
    }

    @Test func testQuotedSemicolonsAndNewlinesStayInTheWord() throws {
        #expect(try texts("'a;b' \"c\nd\"") == ["a;b", "c\nd"])
    }

    @Test func testLineContinuationJoinsLinesAndLaterWordsKeepTheirRealLocations() throws {
        let marked = MarkedText("deploy web1 \\\n    1️⃣web2 \\\n2️⃣--dry")
        let words = try words(marked.text)
        #expect(words.map(\.text) == ["deploy", "web1", "web2", "--dry"])
        #expect(words.map(\.location).suffix(2) == [try marked.location("1️⃣"), try marked.location("2️⃣")])
        let tokens = try Lexer.tokenize(marked.text, file: marked.file)
        #expect(!tokens.contains { if case .newline = $0 { true } else { false } })
    }

    @Test func testLineContinuationInsideAWordJoinsItsParts() throws {
        #expect(try texts("ab\\\ncd \"ef\\\ngh\"") == ["abcd", "efgh"])
    }

    @Test(arguments: [
        ("a # b c", ["a"]),
        ("# whole line\nb", ["b"]),
        ("a#b", ["a#b"]),
        ("'#a' \"#b\" \\#c", ["#a", "#b", "#c"]),
        ("a;# c", ["a"]),
        ("a # it's \"open\nb", ["a", "b"]),
        ("a # not a continuation \\\nb", ["a", "b"]),
    ])
    func testHashStartsACommentOnlyAtTheStartOfAWord(source: String, expected: [String]) throws {
        #expect(try texts(source) == expected)
    }

    @Test func testCRLFLineEndingsAreOneLineBreak() throws {
        let marked = MarkedText("1️⃣a b\r\n2️⃣c \\\r\n3️⃣d\r\n'e\r\nf'\r\n")
        let tokens = try Lexer.tokenize(marked.text, file: marked.file)
        let words = tokens.compactMap { token in if case .word(let word) = token { word } else { nil } }
        #expect(words.map(\.text) == ["a", "b", "c", "d", "e\nf"])
        #expect(words[0].location == (try marked.location("1️⃣")))
        #expect(words[2].location == (try marked.location("2️⃣")))
        #expect(words[3].location == (try marked.location("3️⃣")))
        #expect(tokens.filter { if case .newline = $0 { true } else { false } }.count == 3)
    }

    @Test(arguments: ["", "   \t ", "\n\n", "# comment only", "\r\n"])
    func testBlankInputHasNoWords(source: String) throws {
        #expect(try texts(source).isEmpty)
    }

    @Test func testColumnsCountUnicodeScalars() throws {
        let marked = MarkedText("échö 🚀 1️⃣x 'ü' 2️⃣y\n∂ 3️⃣z")
        let words = try words(marked.text)
        #expect(words.map(\.text) == ["échö", "🚀", "x", "ü", "y", "∂", "z"])
        #expect(words[2].location == (try marked.location("1️⃣")))
        #expect(words[2].location.column == 8)
        #expect(words[4].location == (try marked.location("2️⃣")))
        #expect(words[6].location == (try marked.location("3️⃣")))
    }
}
