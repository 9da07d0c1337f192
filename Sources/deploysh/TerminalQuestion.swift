import Foundation
import Synchronization

/// `-i`'s yes/no question, asked on standard error and answered on standard input.
///
/// The answer is read on a thread of its own, so Ctrl-C (which cancels the deploy's task)
/// ends the question at once instead of waiting for Enter.
enum TerminalQuestion {
    @MainActor
    static func ask(_ question: String) async -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = await readAnswer() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// One line of standard input, or `nil` at its end or when the task is cancelled.
    private static func readAnswer() async -> String? {
        let waiting = Mutex<CheckedContinuation<String?, Never>?>(nil)
        let finish: @Sendable (String?) -> Void = { line in
            waiting.withLock { continuation in
                continuation?.resume(returning: line)
                continuation = nil
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting.withLock { $0 = continuation }
                if Task.isCancelled { finish(nil) }
                Thread.detachNewThread { finish(readLine()) }
            }
        } onCancel: {
            finish(nil)
        }
    }
}
