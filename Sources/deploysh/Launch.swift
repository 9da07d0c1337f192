import DeployKit
import DeployShell

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Builds the session from the real process environment: the only place that asks
/// whether output is a terminal, reads `NO_COLOR`, and writes to the standard streams.
enum Launch {
    /// - Parameter showsCommands: print every command before it runs (`deploy -d`).
    /// - Throws: `RuntimeDirectoryError` when no private runtime directory can be made.
    @MainActor
    static func session(output: OutputOptions, showsCommands: Bool = false) throws -> Session {
        try session(json: output.json, showsCommands: showsCommands)
    }

    /// - Parameter showsCommands: print every command before it runs (`deploy -d`).
    /// - Throws: `RuntimeDirectoryError` when no private runtime directory can be made.
    @MainActor
    static func session(json: Bool, showsCommands: Bool = false) throws -> Session {
        let environment = ProcessInfo.processInfo.environment
        let isTerminal = isatty(STDOUT_FILENO) == 1
        let usesColor = isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        let console = Console(
            style: TextStyle(usesColor: usesColor, isTerminal: isTerminal),
            isJSON: json,
            writeOutput: { StandardStream.output.write($0.utf8) },
            writeError: { StandardStream.error.write($0.utf8) }
        )
        let runtime = try RuntimeDirectory.create(under: RuntimeDirectory.base(environment: environment))
        let runner: any CommandRunner =
            showsCommands
            ? ObservedRunner(SubprocessRunner()) { console.note("$ " + $0.commandLine) } : SubprocessRunner()
        let shell = ShellEnvironment(
            runner: runner,
            localUser: localUser(environment),
            stateDirectory: ShellEnvironment.stateDirectory(environment: environment),
            runtimeDirectory: runtime,
            sudoPassword: { [prompt = SudoPasswordPrompt()] host in prompt.password(for: host) }
        )
        return Session(environment: shell, console: console)
    }

    private static func localUser(_ environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return environment["USER"] ?? "root"
    }
}
