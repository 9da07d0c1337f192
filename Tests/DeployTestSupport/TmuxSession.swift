import DeployKit
import Foundation

/// A real terminal for the REPL: the `deploysh` binary inside a detached tmux session,
/// driven with `send-keys` and read with `capture-pane`.
package struct TmuxSession: Sendable {
    package let name: String
    private let runner = SubprocessRunner()

    /// Starts `command` (a shell command line) in a new 120x30 tmux session.
    package static func start(_ command: String) async throws -> TmuxSession {
        let session = TmuxSession(name: "deploysh-test-\(UUID().uuidString.prefix(8))")
        let start = Invocation("tmux", ["new-session", "-d", "-s", session.name, "-x", "120", "-y", "30", command])
        var result = try await session.runner.run(start)
        // The previous test's session is killed in the background: when it was the server's
        // last, the server exits, and a new session asked for meanwhile fails; ask again.
        for _ in 0..<3 where !result.succeeded && result.standardErrorTail.joined().contains("server exited") {
            try await Task.sleep(for: .milliseconds(200))
            result = try await session.runner.run(start)
        }
        guard result.succeeded else {
            throw TestbedError(message: "tmux failed: " + result.standardErrorTail.joined(separator: "\n"))
        }
        return session
    }

    /// Starts the `deploysh` REPL on `flake`, run in `state` (also its XDG_STATE_HOME: history
    /// lives there); prints `EXITED=STATUS` when it ends and keeps the pane 30 s to read it.
    ///
    /// - Parameter environment: more variables for deploysh (`NAME=value` words).
    package static func startREPL(
        flake: String,
        state: String,
        environment: [String: String] = [:]
    ) async throws -> TmuxSession {
        let extra = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(RemoteShell.quote($0.value))" }
        let command = [
            "cd \(RemoteShell.quote(state)) &&",
            extra.joined(separator: " "),
            "XDG_STATE_HOME=\(RemoteShell.quote(state)) NIX_CONFIG=\(RemoteShell.quote(TestEnvironment.nixConfig))",
            RemoteShell.quote(TestEnvironment.deployshBinary), RemoteShell.quote(flake) + ";",
            "echo EXITED=$?; sleep 30",
        ].joined(separator: " ")
        return try await start(command)
    }

    /// Types keys (tmux key names such as `Tab`, `Enter`, `C-c`, or literal text).
    package func send(_ keys: String...) async throws {
        _ = try await runner.run(Invocation("tmux", ["send-keys", "-t", name] + keys))
        try await Task.sleep(for: .milliseconds(400))
    }

    /// The visible screen; `joined`: lines the terminal wrapped are joined back (`capture-pane -J`);
    /// `scrollback`: from the start of the pane's history (what scrolled off the top too).
    package func screen(joined: Bool = false, scrollback: Bool = false) async throws -> String {
        let options = ["capture-pane", "-p"] + (joined ? ["-J"] : []) + (scrollback ? ["-S", "-"] : [])
        return try await runner.run(Invocation("tmux", options + ["-t", name])).standardOutput
    }

    /// Resizes the window, as a person dragging the terminal's edge (the program gets SIGWINCH).
    package func resize(width: Int, height: Int) async throws {
        _ = try await runner.run(
            Invocation("tmux", ["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
        )
    }

    /// Waits (bounded) until the screen satisfies `condition`; returns the last screen.
    ///
    /// - Parameter scrollback: read the pane from the start of its history, so text that
    ///   scrolled off the top still counts (see ``screen(joined:scrollback:)``).
    package func waitForScreen(
        seconds: Int = 15,
        scrollback: Bool = false,
        _ condition: @Sendable (String) -> Bool
    ) async throws -> String {
        var text = ""
        for _ in 0..<(seconds * 10) {
            text = try await screen(scrollback: scrollback)
            if condition(text) { return text }
            try await Task.sleep(for: .milliseconds(100))
        }
        return text
    }

    package func kill() async {
        _ = try? await runner.run(Invocation("tmux", ["kill-session", "-t", name]))
    }
}
