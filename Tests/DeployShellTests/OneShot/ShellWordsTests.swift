import Testing

@testable import DeployShell

/// Small: `--ssh-opts` is one string, split like a POSIX shell splits words.
@Suite struct ShellWordsTests {
    static let cases: [(text: String, words: [String])] = [
        ("", []),
        ("  -p   2222 ", ["-p", "2222"]),
        ("-o 'ServerAliveInterval 5'", ["-o", "ServerAliveInterval 5"]),
        (#"-o "ProxyCommand ssh -W %h:%p \"jump\"""#, ["-o", #"ProxyCommand ssh -W %h:%p "jump""#]),
        (#"-o A\ B"#, ["-o", "A B"]),
        ("-F ''", ["-F", ""]),
        (#""a"'b'c"#, ["abc"]),
        (#""\n""#, [#"\n"#]),
        ("-o\tX=1", ["-o", "X=1"]),
    ]

    @Test(arguments: 0..<cases.count)
    func testSplitsLikeAShell(index: Int) throws {
        let (text, words) = Self.cases[index]
        #expect(try ShellWords.split(text) == words, "\(text)")
    }

    @Test func testUnterminatedQuotesAndTrailingBackslashAreRefused() {
        #expect(throws: ShellWords.Problem.unterminatedQuote("'")) { try ShellWords.split("-o 'X") }
        #expect(throws: ShellWords.Problem.unterminatedQuote("\"")) { try ShellWords.split("-o \"X") }
        #expect(throws: ShellWords.Problem.trailingBackslash) { try ShellWords.split("-o X\\") }
    }
}
