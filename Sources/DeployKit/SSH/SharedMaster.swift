import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One shared ssh connection (`ssh -M -N`), run as a child of deploysh for as long as it lives.
///
/// A master that persisted in the background would detach into a session of its own and
/// outlive a killed deploysh; this one is an ordinary runner child, so it ends with deploysh
/// (the runner's child guard), with `shutdown`, or with `ssh -O exit`. It is started by one
/// command and kept for the later ones (the shell's REPL reuses it), so it runs in a task of
/// its own rather than inside the command that opened it.
final class SharedMaster: Sendable {
    private let runner: any CommandRunner
    private let invocation: Invocation
    private let task: Task<CommandResult?, Never>
    private let ended: Ending

    init(runner: any CommandRunner, invocation: Invocation) {
        self.runner = runner
        self.invocation = invocation
        let ended = Ending()
        self.ended = ended
        task = Task {
            let result = try? await runner.run(invocation)
            ended.value.withLock { $0 = .some(result) }
            return result
        }
    }

    /// Waits (bounded) until the master's control socket exists: ssh puts it in place (an atomic
    /// link) once the connection is authenticated and the master listens.
    ///
    /// Looking for the file costs a `stat`; asking `ssh -O check` in a loop would cost a process
    /// every 50 ms per node, enough to take both cores with 16 nodes connecting at once.
    ///
    /// - Returns: `nil` when it is open; the master's result when it ended first (refused,
    ///   unreachable) or did not open in time (then it is stopped).
    func waitUntilOpen(socket: String, seconds: Int) async throws -> CommandResult? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        return try await withTaskCancellationHandler {
            while ContinuousClock.now < deadline {
                if let result = ended.value.withLock({ $0 }) {
                    return result ?? notStarted
                }
                if FileManager.default.fileExists(atPath: socket) { return nil }
                try await Task.sleep(for: .milliseconds(10))
            }
            task.cancel()
            return await task.value ?? notStarted
        } onCancel: {
            task.cancel()
        }
    }

    /// A stand-in result when the master could not even be started.
    private var notStarted: CommandResult {
        CommandResult(
            invocation: invocation,
            status: .exited(255),
            standardOutput: "",
            standardErrorTail: [],
            duration: .zero
        )
    }

    /// Stops the master (its process group is torn down) and waits for it.
    func stop() async {
        task.cancel()
        _ = await task.value
    }

    // MARK: - Every master of a control directory

    private static let masters = Mutex<[String: [SharedMaster]]>([:])

    static func register(_ master: SharedMaster, in directory: String) {
        masters.withLock { $0[directory, default: []].append(master) }
    }

    /// Stops every master opened for `directory` (at shutdown).
    static func stopAll(in directory: String) async {
        let stopping = masters.withLock { $0.removeValue(forKey: directory) ?? [] }
        for master in stopping { await master.stop() }
    }
}

/// How a shared master ended (`nil` while it runs; `.some(nil)` when it could not start).
private final class Ending: Sendable {
    let value = Mutex<CommandResult??>(nil)
}
