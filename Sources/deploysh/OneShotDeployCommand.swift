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
        let session: Session
        do {
            session = try Launch.session(output: output, showsCommands: request.debugLogs, offersShowLog: false)
        } catch {
            StandardStream.error.write("error: \(error)\n".utf8)
            return 1
        }
        Launch.startTranscript(session, face: "deploy")
        session.recordCommand(words: Array(CommandLine.arguments.dropFirst()), file: "<arguments>")
        let ask: DeployRequest.Question? = isatty(STDIN_FILENO) == 1 ? TerminalQuestion.ask : nil
        let interrupts = InterruptHandler()
        interrupts.awaitDispatchRegistration()  // a deploy takes seconds; a Ctrl-C at once must count
        let task = Task { @MainActor () async throws -> any Report in try await request.run(in: session, ask: ask) }
        interrupts.register(task)
        var status: Int32
        do {
            let report = try await task.value
            session.console.show(report)
            status = report.isFailure ? 1 : 0
        } catch {
            let cause = session.console.showFailure(error, location: nil)
            session.recordError(cause, location: nil)
            status = cause is CancellationError ? 130 : 1
        }
        if interrupts.unregister() && status != 0 { status = 130 }
        session.endTranscript(status: status)
        await session.shutdown()
        return status
    }
}
