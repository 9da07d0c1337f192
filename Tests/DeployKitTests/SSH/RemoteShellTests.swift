import DeployTestSupport
import Testing

@testable import DeployKit

/// The one quoting function, pinned as text (small) and checked by a real `sh` (medium).
@Suite(.tags(.medium)) struct RemoteShellTests {
    static let hostileWords = [
        #"web"1"#,
        "a${b}",
        "it's",
        "x y",
        "-n",
        "$(reboot)",
        "`reboot`",
        #"back\slash \\ and \n"#,
        "trailing\\",
        "line\nnext",
        "",
        "tab\there",
        "* ? [a] ~ # ; & | < > !",
        "'''",
        "héllo ✓ 日本 🚀",
    ]

    @Test(arguments: [
        ("web1", "'web1'"),
        ("it's", #"'it'\''s'"#),
        ("", "''"),
        ("''", #"''\'''\'''"#),
        ("a b", "'a b'"),
    ])
    func testQuoteWrapsInSingleQuotesAndEscapesQuotes(word: String, quoted: String) {
        #expect(RemoteShell.quote(word) == quoted)
    }

    @Test func testCommandQuotesEveryWordOnceAndJoinsWithSpaces() {
        #expect(
            RemoteShell.command(["nix-env", "-p", "/nix/var/nix/profiles/system"])
                == "'nix-env' '-p' '/nix/var/nix/profiles/system'"
        )
        #expect(RemoteShell.command(["echo", "it's", ""]) == #"'echo' 'it'\''s' ''"#)
        #expect(RemoteShell.command([]) == "")
    }

    @Test(arguments: [
        "web1", "-p", "2222", "ControlPath=/tmp/d/%C", "root@10.0.0.1", "/nix/store/abc-x_1.2", "a,b+c:d",
    ])
    func testQuoteIfNeededLeavesPlainWordsAlone(word: String) {
        #expect(RemoteShell.quoteIfNeeded(word) == word)
    }

    @Test(arguments: [
        ("x y", "'x y'"),
        ("", "''"),
        ("it's", #"'it'\''s'"#),
        ("$HOME", "'$HOME'"),
        ("héllo", "'héllo'"),
        ("a*", "'a*'"),
    ])
    func testQuoteIfNeededQuotesWordsAShellWouldChange(word: String, quoted: String) {
        #expect(RemoteShell.quoteIfNeeded(word) == quoted)
    }

    /// Medium: `sh -c 'printf %s QUOTED'` prints exactly the original word.
    @Test(.timeLimit(.minutes(1)), arguments: hostileWords)
    func testQuotedWordRoundTripsThroughARealShell(word: String) async throws {
        let result = try await SubprocessRunner().run(
            Invocation("/bin/sh", ["-c", "printf %s " + RemoteShell.quote(word)])
        )
        #expect(result.status == .exited(0))
        #expect(result.standardOutput == word)
        #expect(result.standardErrorTail == [])
    }

    /// Medium: a whole quoted command line, as ssh hands it to the remote shell, splits back into the same argv.
    @Test(.timeLimit(.minutes(1)))
    func testCommandSplitsBackIntoTheSameArgvInARealShell() async throws {
        let program = #"for a; do printf "[%s]" "$a"; done"#
        let line = RemoteShell.command(["sh", "-c", program, "x"] + Self.hostileWords)
        let result = try await SubprocessRunner().run(Invocation("/bin/sh", ["-c", line]))
        #expect(result.status == .exited(0))
        #expect(result.standardOutput == Self.hostileWords.map { "[\($0)]" }.joined())
    }

    /// Medium: the display form of `quoteIfNeeded` is also safe to paste into a shell.
    @Test(.timeLimit(.minutes(1)))
    func testQuoteIfNeededOutputIsReadBackByARealShell() async throws {
        let words = ["plain", "-p", "ControlPath=/tmp/%C"] + Self.hostileWords
        let program = #"for a; do printf "[%s]" "$a"; done"#
        let line =
            "sh -c " + RemoteShell.quote(program) + " x " + words.map(RemoteShell.quoteIfNeeded).joined(separator: " ")
        let result = try await SubprocessRunner().run(Invocation("/bin/sh", ["-c", line]))
        #expect(result.standardOutput == words.map { "[\($0)]" }.joined())
    }
}
