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
    /// - Parameters:
    ///   - showsCommands: print every command before it runs (`deploy -d`).
    ///   - offersShowLog: whether `show-log` can be typed afterwards (not in the one-shot CLI).
    ///   - face: where errors are read, for their hints (`.oneShot` for `deploysh deploy`).
    /// - Throws: `RuntimeDirectoryError` when no private runtime directory can be made.
    @MainActor
    static func session(
        output: OutputOptions,
        showsCommands: Bool = false,
        offersShowLog: Bool = true,
        face: Face = .shell
    ) throws
        -> Session
    {
        try session(json: output.json, showsCommands: showsCommands, offersShowLog: offersShowLog, face: face)
    }

    /// The same, for a command line read without ArgumentParser (`ShellArguments.quick`).
    @MainActor
    static func session(
        json: Bool,
        showsCommands: Bool = false,
        offersShowLog: Bool = true,
        face: Face = .shell
    ) throws -> Session {
        // Only what the session reads (the whole environment as a dictionary costs more).
        let environment = ProcessEnvironment.values([
            "NO_COLOR", "TERM", "XDG_RUNTIME_DIR", "TMPDIR", "XDG_STATE_HOME", "HOME", "USER",
            "DEPLOYSH_LIVE_INTERVAL_MS",
        ])
        // Each stream is styled for where it goes: reports on stdout, progress and the live block on stderr.
        let colorAllowed = environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        let outputIsTerminal = isatty(STDOUT_FILENO) == 1
        let errorIsTerminal = isatty(STDERR_FILENO) == 1
        var configured = Console(
            style: TextStyle(usesColor: outputIsTerminal && colorAllowed, isTerminal: outputIsTerminal),
            errorStyle: TextStyle(usesColor: errorIsTerminal && colorAllowed, isTerminal: errorIsTerminal),
            isJSON: json,
            liveInterval: liveInterval(environment),
            writeOutput: { StandardStream.output.write($0.utf8) },
            writeError: { StandardStream.error.write($0.utf8) }
        )
        configured.terminalWidth = { TerminalWidth.ofStandardError() }
        configured.offersShowLog = offersShowLog
        configured.face = face
        let console = configured
        if errorIsTerminal && !json { WindowResize.follow { console.redrawLive() } }
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

    /// How often the live block redraws while a step runs: `DEPLOYSH_LIVE_INTERVAL_MS`
    /// (at least 50 ms; for a slow terminal or a recording), else 150 ms.
    private static func liveInterval(_ environment: [String: String]) -> Duration {
        guard let text = environment["DEPLOYSH_LIVE_INTERVAL_MS"], let milliseconds = Int(text) else {
            return .milliseconds(150)
        }
        return .milliseconds(max(50, milliseconds))
    }

    private static func localUser(_ environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return environment["USER"] ?? "root"
    }
}
