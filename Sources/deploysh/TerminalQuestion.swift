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
                BlockingThread.start { finish(readRawLine()) }
            }
        } onCancel: {
            finish(nil)
        }
    }
}

/// One line of standard input read with `read(2)`, not stdio: a thread left blocked in stdio's
/// `readLine` holds the `stdin` stream's lock, and glibc 2.41's `exit` locks every stream, so a
/// cancelled question would keep deploysh from exiting (Debian 13). `nil` at end of input.
private func readRawLine() -> String? {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while true {
        let count = read(STDIN_FILENO, &byte, 1)
        if count < 0 && errno == EINTR { continue }
        guard count == 1 else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
        if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(byte)
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
