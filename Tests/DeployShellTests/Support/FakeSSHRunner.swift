import DeployKit
import DeployTestSupport
import Foundation

/// Answers like ``RecordingRunner``, except that a shared ssh connection (`ssh -M`) "opens": its
/// socket appears, and it runs until cancelled, as a real master does.
struct FakeSSHRunner: CommandRunner {
    var respond: RecordingRunner.Responder

    func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?
    ) async throws -> CommandResult {
        if invocation.arguments.contains("-M"),
            let path = invocation.arguments.first(where: { $0.hasPrefix("ControlPath=") })?.dropFirst(12)
        {
            _ = FileManager.default.createFile(atPath: String(path), contents: nil)
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            return CommandResult(
                invocation: invocation,
                status: .cancelled,
                standardOutput: "",
                standardErrorTail: [],
                duration: .zero
            )
        }
        return try await RecordingRunner(respond: respond).run(invocation, onStandardErrorLine: onStandardErrorLine)
    }
}
