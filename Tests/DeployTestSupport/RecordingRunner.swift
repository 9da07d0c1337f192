import DeployKit
import Synchronization

/// A ``CommandRunner`` that runs nothing: it records every invocation and answers with canned results.
///
/// It exists so small tests can assert the exact argv the engine would run, without a process.
/// Only small tests use it (a fake stands in for processes there and nowhere else); medium and
/// large tests run real commands through ``SubprocessRunner``.
package final class RecordingRunner: CommandRunner {
    /// Decides the result of one invocation: exit status, standard output and standard error lines.
    package typealias Responder = @Sendable (Invocation) -> Response

    /// What the fake command "did".
    package struct Response: Sendable {
        package var status: TerminationStatus
        package var standardOutput: String
        package var standardError: [String]
        /// Whether the command runs until its task is cancelled (an ssh shared connection does),
        /// then ends as `.cancelled`, as ``SubprocessRunner`` reports a child it stopped.
        package var runsUntilCancelled: Bool

        package init(
            status: TerminationStatus = .exited(0),
            standardOutput: String = "",
            standardError: [String] = [],
            runsUntilCancelled: Bool = false
        ) {
            self.status = status
            self.standardOutput = standardOutput
            self.standardError = standardError
            self.runsUntilCancelled = runsUntilCancelled
        }
    }

    private let responder: Responder
    private let recorded = Mutex<[Invocation]>([])

    /// A runner answering every invocation with `respond` (by default: success, no output).
    package init(respond: @escaping Responder = { _ in Response() }) {
        self.responder = respond
    }

    /// Every invocation run so far, in order.
    package var invocations: [Invocation] {
        recorded.withLock { $0 }
    }

    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?
    ) async throws -> CommandResult {
        recorded.withLock { $0.append(invocation) }
        let response = responder(invocation)
        for line in response.standardError { onStandardErrorLine?(line) }
        if response.runsUntilCancelled {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
        }
        return CommandResult(
            invocation: invocation,
            status: response.runsUntilCancelled ? .cancelled : response.status,
            standardOutput: response.standardOutput,
            standardErrorTail: response.standardError,
            duration: .zero
        )
    }
}
