import DeployKit
import DeployShell
import Foundation
import Synchronization

/// A real session driven by script text, with its output captured: the shell as a test sees it.
///
/// It runs real commands (nix, ssh) through ``SubprocessRunner`` with the test environment's
/// Nix settings; only the terminal is replaced by strings.
@MainActor
package final class TestShell {
    package let session: Session
    private let output: Captured
    private let errors: Captured
    private let transcript: Captured

    package init(
        json: Bool = false,
        runner: (any CommandRunner)? = nil,
        stateDirectory: String? = nil,
        sudoPassword: (@Sendable (_ host: String) async throws -> String?)? = nil
    ) {
        let output = Captured()
        let errors = Captured()
        let transcript = Captured()
        self.output = output
        self.errors = errors
        self.transcript = transcript
        // Not created here (most test shells never connect): the session makes it, private, on
        // its first connection, and `shutdown` removes it.
        let runtimeDirectory = NSTemporaryDirectory() + "deploysh-test-\(UUID().uuidString.prefix(8))"
        let environment = ShellEnvironment(
            runner: runner ?? SubprocessRunner(environment: TestEnvironment.nixEnvironment),
            localUser: "root",
            stateDirectory: stateDirectory ?? NSTemporaryDirectory() + "/deploysh-test-state",
            runtimeDirectory: runtimeDirectory,
            sudoPassword: sudoPassword
        )
        let console = Console(
            style: .plain,
            isJSON: json,
            writeOutput: { text in
                output.append(text)
                transcript.append(text)
            },
            writeError: { text in
                errors.append(text)
                transcript.append(text)
            }
        )
        session = Session(environment: environment, console: console)
    }

    /// Runs `script` as a file named `file`; returns the outcome.
    @discardableResult
    package func run(_ script: String, file: String = "test.dsh", keepGoing: Bool = false) async -> Interpreter.Outcome
    {
        var source = ScriptSource(text: script, file: file)
        return await Interpreter(session: session).run(&source, interactive: false, keepGoing: keepGoing)
    }

    /// Everything printed on standard output so far, and clears it.
    package func takeOutput() -> String { output.take() }
    /// Everything printed on standard error so far, and clears it.
    package func takeErrors() -> String { errors.take() }
    /// Everything printed on both streams so far, in the order printed (as a terminal shows
    /// it), and clears it; the two streams are kept for ``takeOutput()`` and ``takeErrors()``.
    package func takeTranscript() -> String { transcript.take() }

    /// The JSON lines printed on standard output, decoded.
    package func takeJSONLines() throws -> [JSONValue] {
        try takeOutput().split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }
}

/// A thread-safe text buffer for captured output.
package final class Captured: Sendable {
    private let text = Mutex("")

    package init() {}

    package func append(_ more: String) {
        text.withLock { $0 += more }
    }

    package func take() -> String {
        text.withLock { value in
            defer { value = "" }
            return value
        }
    }
}
