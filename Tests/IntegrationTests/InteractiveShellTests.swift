import DeployKit
import DeployTestSupport
import Foundation
import Testing

/// Large: the real binary in a real terminal (tmux): completion, history, Ctrl-C, Ctrl-D.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(2)))
@MainActor
struct InteractiveShellTests {
    @Test func testCompletionHistoryCtrlCAndCtrlDInTheREPL() async throws {
        let flake = try FlakeFixtures.write(deploy: LoadTests.fleet)
        let state = try TestEnvironment.temporaryDirectory("state")
        try FileManager.default.createDirectory(
            at: state.appendingPathComponent("fleet"),
            withIntermediateDirectories: true
        )
        try Data("echo hi\n".utf8).write(to: state.appendingPathComponent("fleet/deploy.dsh"))
        let tmux = try await TmuxSession.startREPL(flake: flake, state: state.path)
        defer { Task { await tmux.kill() } }

        var screen = try await tmux.waitForScreen { $0.contains("deploysh \(flake)>") }
        #expect(screen.contains("loaded \(flake): 3 nodes, 4 profiles"), "\(screen)")

        try await tmux.send("sel", "Tab")
        try await tmux.send("web2.s", "Tab")
        screen = try await tmux.screen()
        #expect(screen.contains("> select web2.system"), "\(screen)")
        try await tmux.send("Enter")
        screen = try await tmux.waitForScreen { $0.contains("selected 1: web2.system") }
        #expect(screen.contains("deploysh \(flake) [web2.system]>"), "\(screen)")

        // File names after `source` (the REPL runs in `state`): a directory stays open for the next name.
        try await tmux.send("source fl", "Tab")
        try await tmux.send("Tab")
        screen = try await tmux.screen()
        #expect(screen.contains("> source fleet/deploy.dsh\n"), "\(screen)")
        try await tmux.send("C-c")

        try await tmux.send("sleep 30", "Enter")
        try await tmux.send("C-c")
        screen = try await tmux.waitForScreen(seconds: 5) { $0.contains("error: cancelled") }
        #expect(screen.contains("error: cancelled"), "\(screen)")

        try await tmux.send("nodse", "Enter")
        screen = try await tmux.waitForScreen { $0.contains("did you mean 'nodes'?") }
        #expect(screen.contains("error: unknown command 'nodse'; did you mean 'nodes'?"), "\(screen)")

        try await tmux.send("C-d")
        screen = try await tmux.waitForScreen { $0.contains("EXITED=") }
        #expect(screen.contains("EXITED=0"), "\(screen)")
        let history = try String(contentsOfFile: state.path + "/deploysh/history", encoding: .utf8)
        // libedit's history file encodes blanks as \040.
        #expect(history.contains(#"select\040web2.system"#))
        #expect(history.contains(#"sleep\04030"#))
    }

    /// libedit keeps following the window while deploysh follows SIGWINCH for the live block:
    /// after a resize during a command and another at the prompt, a line longer than the new
    /// width is edited in place (Ctrl-A goes back over its wrapped rows to its start).
    @Test func testTheLineEditorFollowsAResizeAfterOneDuringACommand() async throws {
        let flake = try FlakeFixtures.write(deploy: LoadTests.fleet)
        let state = try TestEnvironment.temporaryDirectory("state")
        let tmux = try await TmuxSession.startREPL(flake: flake, state: state.path)
        defer { Task { await tmux.kill() } }
        _ = try await tmux.waitForScreen { $0.contains("deploysh \(flake)>") }

        try await tmux.send("sleep 2", "Enter")
        try await tmux.resize(width: 90, height: 30)  // during the command: deploysh's handler
        _ = try await tmux.waitForScreen { $0.components(separatedBy: "deploysh \(flake)>").count == 3 }
        try await tmux.resize(width: 60, height: 30)  // at the prompt: libedit's, then deploysh's
        try await Task.sleep(for: .milliseconds(500))

        let word = String(repeating: "b", count: 100)
        try await tmux.send("-l", "cho \(word)")
        try await tmux.send("C-a")
        try await tmux.send("e")
        let typed = try await tmux.screen(joined: true)
        #expect(typed.contains("deploysh \(flake)> echo \(word)"), "\(typed)")
        try await tmux.send("Enter")
        let echoed = try await tmux.waitForScreen { $0.components(separatedBy: "deploysh \(flake)>").count == 4 }
        let rows = try await tmux.screen(joined: true).split(separator: "\n").map(String.init)
        #expect(rows.contains(word), "\(echoed)")
    }

    /// The banner; Ctrl-C drops an unclosed quote's continuation; a flake argument that never
    /// loaded makes the REPL exit 1.
    @Test func testBannerCtrlCDropsAnUnclosedQuoteAndAFailedPreloadExitsOne() async throws {
        let state = try TestEnvironment.temporaryDirectory("state")
        let missing = state.path + "/no-such-flake"
        let tmux = try await TmuxSession.startREPL(flake: missing, state: state.path)
        defer { Task { await tmux.kill() } }

        var screen = try await tmux.waitForScreen { $0.contains("deploysh> ") }
        #expect(screen.contains("Type `help` for the commands."), "\(screen)")
        #expect(screen.contains("error: cannot read flake '\(missing)'"), "\(screen)")

        try await tmux.send("echo 'unclosed", "Enter")
        try await tmux.send("still inside", "Enter")
        screen = try await tmux.screen()
        #expect(screen.contains("...> still inside"), "\(screen)")
        try await tmux.send("C-c")
        try await tmux.send("echo fresh-prompt", "Enter")
        screen = try await tmux.waitForScreen { $0.contains("\nfresh-prompt") }
        #expect(screen.contains("deploysh> echo fresh-prompt\nfresh-prompt"), "\(screen)")
        #expect(!screen.contains("unclosed\nstill inside"), "\(screen)")

        // Typed non-ASCII text reaches the command intact (the reader decodes as libedit does).
        try await tmux.send("echo café ✓", "Enter")
        screen = try await tmux.waitForScreen { $0.contains("\ncafé ✓") }
        #expect(screen.contains("deploysh> echo café ✓\ncafé ✓"), "\(screen)")

        try await tmux.send("C-d")
        screen = try await tmux.waitForScreen { $0.contains("EXITED=") }
        #expect(screen.contains("EXITED=1"), "\(screen)")
    }
}
