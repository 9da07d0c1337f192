import ArgumentParser
import DeployKit
import DeployShell
import Foundation

/// The `deploysh` executable: `deploysh deploy ...` is deploy-rs's command line; anything
/// else is the shell (REPL, `-f`, `-c` or piped standard input).
@main
enum Entrypoint {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "deploy" {
            await OneShotDeployCommand.main(Array(arguments.dropFirst()))
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
        discussion: "Run `deploysh deploy --help` for the deploy-rs compatible one-shot deploy."
    )

    @OptionGroup var output: OutputOptions

    @Option(name: .customShort("f"), help: "Run the commands of a script file.")
    var file: String?

    @Option(name: .customShort("c"), help: "Run commands given inline ('cmd; cmd').")
    var commands: String?

    @Flag(help: "Run on after a failing command; exit 1 at the end if anything failed.")
    var keepGoing = false

    @Argument(help: "A flake to load first (for example `.`).")
    var flake: String?

    mutating func run() async throws {
        let session: Session
        do {
            session = try await Launch.session(output: output)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let status = await runShell(session: session)
        await session.shutdown()
        throw ExitCode(status)
    }

    @MainActor
    private func runShell(session: Session) async -> Int32 {
        var interpreter = Interpreter(session: session)
        let interrupts = InterruptHandler()
        interpreter.onCommandStart = { task in interrupts.register(task) }
        interpreter.onCommandEnd = { interrupts.unregister() }
        if let flake {
            var preload = ScriptSource(text: "load \(RemoteShell.quote(flake))", file: "<arguments>")
            let outcome = await interpreter.run(&preload, interactive: false)
            if outcome != .success && (file != nil || commands != nil) { return outcome.exitStatus }
        }
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                session.console.show(
                    SessionError.cannotRead(file: file, reason: "no such readable file"),
                    location: nil
                )
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
            let data = FileHandle.standardInput.readDataToEndOfFile()
            var source = ScriptSource(text: String(decoding: data, as: UTF8.self), file: "<stdin>")
            return await interpreter.run(&source, interactive: false, keepGoing: keepGoing).exitStatus
        }
        do {
            var source = try EditLineSource(
                historyFile: session.environment.stateDirectory + "/history",
                complete: { line in Completer(session: session).candidates(for: line) }
            )
            _ = await interpreter.run(&source, interactive: true)
            return 0
        } catch {
            session.console.show(error, location: nil)
            return 1
        }
    }
}
