import Testing

@testable import DeployShell

/// Small: how `exec` splits targets from the command, and how it shows remote output.
@Suite struct ExecCommandTests {
    private func parse(_ words: [String]) throws -> ExecCommand? {
        guard case .command(let parsed) = try CommandTable.parse(ExecCommand.self, arguments: words) else { return nil }
        return parsed as? ExecCommand
    }

    @Test func testWordsBeforeTheDashesAreTargetsAndAfterThemTheCommand() throws {
        let command = try #require(try parse(["--jobs", "2", "web*", "db1", "--", "ls", "-l", "--", "x"]))
        #expect(command.jobs == 2)
        #expect(command.targets == ["web*", "db1"])
        #expect(command.command == ["ls", "-l", "--", "x"])
    }

    @Test func testAMissingCommandIsRefused() {
        #expect(throws: (any Error).self) { try parse(["web1"]) }
    }

    @Test func testControlCharactersOfRemoteOutputAreMadeVisible() {
        #expect(ExecReport.visible("a\u{1B}[31mb\tc\u{7F}") == "a^[[31mb\tc^?")
    }
}
