import ArgumentParser
import DeployKit
import DeployShell

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

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
        if arguments.pauseAfter != nil && isatty(STDIN_FILENO) != 1 {
            // A usage error (64): nobody could answer `resume` or `abort`.
            throw ValidationError(DeployRequestError.pauseWithoutTerminal.message)
        }
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
        var request = request
        let session: Session
        do {
            session = try Launch.session(
                output: output,
                showsCommands: request.debugLogs,
                offersShowLog: false,
                face: .oneShot
            )
        } catch {
            StandardStream.error.write("error: \(error)\n".utf8)
            return 1
        }
        // Each run keeps every node's full log (the one-shot has no `show-log`): `--log-dir`, or a
        // run directory under the state directory.
        do {
            request = try request.withRunLogDirectory(stateDirectory: session.environment.stateDirectory)
        } catch {
            session.console.warn("cannot make a log directory for this run: \(error)")
        }
        Launch.startTranscript(session, face: "deploy")
        session.recordCommand(words: Array(CommandLine.arguments.dropFirst()), file: "<arguments>")
        let ask: DeployRequest.Question? = isatty(STDIN_FILENO) == 1 ? TerminalQuestion.ask : nil
        let runtime = session.environment.runtimeDirectory
        let interrupts = InterruptHandler(onIdleTermination: { signal in
            RuntimeDirectory.remove(runtime)
            Glibc._exit(128 + signal)
        })
        interrupts.onSecondInterrupt { LeaveNow.leave(session) }
        interrupts.awaitDispatchRegistration()  // a deploy takes seconds; a Ctrl-C at once must count
        let task = Task { @MainActor [request] () async throws -> any Report in
            try await request.run(in: session, ask: ask)
        }
        interrupts.register(task)
        // Every result of the one-shot is the deploy's (`--json`: `"command":"deploy"`).
        var status: Int32 = await session.console.origin.with(.init(command: "deploy", location: nil)) {
            do {
                let report = try await task.value
                session.console.show(report)
                return report.isFailure ? 1 : 0
            } catch {
                // A deploy that stops before any plan ran (a failed check, a bad target) still
                // ends with a summary event for machines: nothing was deployed.
                if session.console.isJSON, !(error is ReportedFailure) {
                    session.console.show(DeploySummaryReport(DeploySummary(targets: []), ok: false, face: .oneShot))
                }
                let cause = session.console.showFailure(error, location: nil)
                session.recordError(cause, location: nil)
                return cause is CancellationError ? 130 : 1
            }
        }
        showLogDirectory(request, session: session)
        if interrupts.unregister() && status != 0 { status = 130 }
        if let signal = interrupts.terminationSignal { status = 128 + signal }
        session.endTranscript(status: status)
        await session.shutdown()
        return status
    }

    /// Says where the run's logs are (`full logs: DIR`), when it wrote any; removes a run
    /// directory of its own that stayed empty (a run that stopped before any command).
    @MainActor
    private static func showLogDirectory(_ request: DeployRequest, session: Session) {
        guard let directory = request.logDirectory else { return }
        guard RunLogDirectory.hasLogs(directory) else {
            if directory.hasPrefix(session.environment.stateDirectory + "/logs/") {
                try? FileManager.default.removeItem(atPath: directory)
            }
            return
        }
        session.console.note("full logs: \(directory)")
    }
}
