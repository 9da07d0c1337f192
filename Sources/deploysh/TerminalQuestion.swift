import DeployShell
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// `-i`'s yes/no question, asked on standard error and answered on standard input.
///
/// The answer is read on a thread of its own, so Ctrl-C (which cancels the deploy's task)
/// ends the question at once instead of waiting for Enter.
enum TerminalQuestion {
    @MainActor
    static func ask(_ question: String) async -> Bool {
        StandardStream.error.write("\(question) [y/N] ".utf8)
        guard let answer = await readAnswer() else { return false }
        return ["y", "yes"].contains(answer.trimmingSpaces.lowercased())
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
                BlockingThread.start { finish(readLine()) }
            }
        } onCancel: {
            finish(nil)
        }
    }
}

/// Runs a blocking call (a terminal read) on a thread of its own, off the cooperative pool.
private final class BlockingThread {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    static func start(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(BlockingThread(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread,
            nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<BlockingThread>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            },
            context
        )
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<BlockingThread>.fromOpaque(context).release()
            body()
        }
    }
}
