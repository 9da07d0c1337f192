import ArgumentParser
import DeployKit
import DeployShell

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The `deploysh` executable: `deploysh deploy ...` is deploy-rs's command line; anything
/// else is the shell (REPL, `-f`, `-c` or piped standard input).
@main
enum Entrypoint {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "deploy" {
            await OneShotDeployCommand.main(Array(arguments.dropFirst()))
        } else if arguments.first == "--generate-completion-script" {
            await CompletionScriptCommand.main(arguments)
        } else if let quick = ShellArguments.quick(arguments) {
            await ShellProgram(arguments: quick).run()
        } else {
            await ShellCommandLine.main(arguments)
        }
    }
}

/// The shell's command line: chooses the REPL, a script (`-f`), inline commands (`-c`) or
/// piped standard input, and maps the outcome to an exit status.
struct ShellCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploysh",
        abstract: "A deploy shell for Nix flakes (deploy-rs compatible).",
        usage: """
            deploysh [--json] [-f <file> | -c <commands>] [--keep-going] [<flake>]
              deploysh deploy [<options>] [<target>] [-- <nix arguments>...]
            """,
        discussion: """
            Run `deploysh deploy --help` for the deploy-rs compatible one-shot deploy.

            The shell's commands (in the REPL, a script, -c or piped input; `help COMMAND` \
            inside the shell shows one's usage):

            """ + "\n" + HelpReport.commandList()
    )

    @OptionGroup var output: OutputOptions

    @Option(name: .customShort("f"), help: "Run the commands of a script file.")
    var file: String?

    @Option(name: .customShort("c"), help: "Run commands given inline ('cmd; cmd').")
    var commands: String?

    @Flag(help: ShellArguments.keepGoingHelp)
    var keepGoing = false

    // Declared here rather than as `version:` so that `-V` works too, as in `deploysh deploy -V`.
    @Flag(name: [.customShort("V"), .long], help: "Print the version.")
    var version = false

    @Argument(help: "A flake to load first (for example `.`).")
    var flake: String?

    mutating func run() async throws {
        if version {
            print("deploysh \(DeployshVersion.current)")
            return
        }
        let arguments = ShellArguments(
            json: output.json,
            file: file,
            commands: commands,
            keepGoing: keepGoing,
            flake: flake
        )
        await ShellProgram(arguments: arguments).run()
    }
}

/// Runs the shell for parsed command-line arguments and exits with its status.
///
/// On the main actor throughout, like the session it drives: no hop between threads before
/// the first command runs.
@MainActor
struct ShellProgram {
    var arguments: ShellArguments

    private var file: String? { arguments.file }
    private var commands: String? { arguments.commands }
    private var keepGoing: Bool { arguments.keepGoing }
    private var flake: String? { arguments.flake }

    func run() async -> Never {
        if let commands = commands ?? file.flatMap({ try? ScriptFile.read($0) }) {
            Task.detached(priority: .userInitiated) { Interpreter.warmUp(commands) }
        }
        let session: Session
        do {
            session = try Launch.session(json: arguments.json)
        } catch {
            StandardStream.error.write("error: \(error)\n".utf8)
            Glibc.exit(1)
        }
        let face =
            file != nil ? "script" : commands != nil ? "command" : isatty(STDIN_FILENO) == 1 ? "repl" : "stdin"
        Launch.startTranscript(session, face: face)
        let status = await runShell(session: session)
        session.endTranscript(status: status)
        await session.shutdown()
        // Exit while the session is still alive: freeing a loaded fleet (thousands of profiles
        // and their JSON) one object at a time only delays the exit. Output is unbuffered.
        withExtendedLifetime(session) { Glibc.exit(status) }
    }

    @MainActor
    private func runShell(session: Session) async -> Int32 {
        var interpreter = Interpreter(session: session)
        let runtime = session.environment.runtimeDirectory
        let interrupts = InterruptHandler(onIdleTermination: { signal in
            // Nothing runs: the shared ssh connections die with deploysh (ChildGuard).
            RuntimeDirectory.remove(runtime)
            Glibc._exit(128 + signal)
        })
        interpreter.onCommandStart = { task in interrupts.register(task) }
        interpreter.onCommandEnd = { interrupts.unregister() }
        interrupts.onSecondInterrupt { LeaveNow.leave(session) }
        interpreter.shouldStop = { interrupts.terminationSignal != nil }
        let status = await runShell(session: session, interpreter: interpreter, interrupts: interrupts)
        // A script (or piped input) that ends, or fails, with activations still pending, or a
        // rollout paused, says so.
        if !session.isInteractive, let waiting = session.pendingWarning() { session.console.warn(waiting) }
        if !session.isInteractive, let paused = session.pausedWarning(.endOfScript) { session.console.warn(paused) }
        return interrupts.terminationSignal.map { 128 + $0 } ?? status
    }

    @MainActor
    private func runShell(session: Session, interpreter: Interpreter, interrupts: InterruptHandler) async -> Int32 {
        let isREPL = file == nil && commands == nil && isatty(STDIN_FILENO) == 1
        if isREPL {
            interrupts.awaitDispatchRegistration()
            session.console.note(
                "deploysh \(DeployshVersion.current): a deploy shell for Nix flakes. Type `help` for the commands."
            )
        }
        var preloadFailed = false
        if let flake {
            var preload = ScriptSource(text: "load \(RemoteShell.quote(flake))", file: "<arguments>")
            let outcome = await interpreter.run(&preload, interactive: false)
            // A script, -c or piped input would run against no flake at all: stop here.
            if outcome != .success && !isREPL { return outcome.exitStatus }
            preloadFailed = outcome != .success
        }
        if let file {
            let text: String
            do {
                text = try ScriptFile.read(file)
            } catch {
                session.console.show(error, location: nil)
                return 1
            }
            var source = ScriptSource(text: text, file: file)
            return await interpreter.run(&source, interactive: false, keepGoing: keepGoing).exitStatus
        }
        if let commands {
            var source = ScriptSource(text: commands, file: "<command line>")
            return await interpreter.run(&source, interactive: false, keepGoing: keepGoing).exitStatus
        }
        if isatty(STDIN_FILENO) == 0 {
            var source = ScriptSource(text: StandardStream.readStandardInput(), file: "<stdin>")
            return await interpreter.run(&source, interactive: false, keepGoing: keepGoing).exitStatus
        }
        do {
            var source = try EditLineSource(
                historyFile: session.environment.stateDirectory + "/history",
                complete: { line in Completer(session: session).candidates(for: line) }
            )
            source.livePrompt = { session.prompt }
            session.isInteractive = true
            _ = await interpreter.run(&source, interactive: true)
            // The flake given on the command line never loaded, and nothing else did since.
            return preloadFailed && session.flake == nil ? 1 : 0
        } catch {
            session.console.show(error, location: nil)
            return 1
        }
    }
}
