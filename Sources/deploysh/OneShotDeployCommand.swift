import ArgumentParser
import DeployKit
import DeployShell
import Foundation
import Synchronization

/// `deploysh deploy [TARGET...] [-- NIX ARGS]`: deploy-rs's command line, run by the engine.
struct OneShotDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        _superCommandName: "deploysh",
        abstract: "Deploy like deploy-rs: check, build, copy, activate and confirm (deploy-rs's flags).",
        discussion: "Example: deploysh deploy .#web1.system --ssh-opts '-p 2222' -- --impure"
    )

    @OptionGroup var output: OutputOptions
    @OptionGroup var arguments: DeployArguments

    func validate() throws {
        if !arguments.version { _ = try arguments.request() }
    }

    mutating func run() async throws {
        if arguments.version {
            print("deploysh \(DeployshVersion.current)")
            return
        }
        let status = await Self.run(try arguments.request(), output: output)
        throw ExitCode(status)
    }

    @MainActor
    private static func run(_ request: DeployRequest, output: OutputOptions) async -> Int32 {
        let session = Launch.session(output: output, showsCommands: request.debugLogs)
        let ask: DeployRequest.Question? = isatty(STDIN_FILENO) == 1 ? TerminalQuestion.ask : nil
        let interrupts = InterruptHandler()
        let task = Task { @MainActor () async throws -> any Report in try await request.run(in: session, ask: ask) }
        interrupts.register(task)
        var status: Int32
        do {
            let report = try await task.value
            session.console.show(report)
            status = report.isFailure ? 1 : 0
        } catch {
            session.console.show(error, location: nil)
            status = error is CancellationError ? 130 : 1
        }
        if interrupts.unregister() && status != 0 { status = 130 }
        await session.shutdown()
        return status
    }
}

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
