/// One external command, exactly as deploysh will run it: argv, extra environment, input.
///
/// It is a value so plans can be printed, compared in tests and recorded in failures
/// before or after anything runs.
package struct Invocation: Hashable, Sendable, Codable, CustomStringConvertible {
    package var executable: String
    package var arguments: [String]
    /// Variables added to (or overriding) the inherited environment.
    package var environment: [String: String]
    /// Bytes written to the child's standard input, or `nil` for no input.
    package var standardInput: String?
    /// How to show the command to a person when the real argv is unreadable (for example an
    /// ssh command that carries the whole activator program); `nil` shows the argv.
    package var display: String?

    package init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        standardInput: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.standardInput = standardInput
    }

    /// The command line as a person would type it in a POSIX shell, with the secrets that
    /// ssh options can carry masked (see `SSHSecrets`).
    package var commandLine: String {
        if let display { return display }
        let env = environment.keys.sorted().map { key in
            let value = environment[key] ?? ""
            let shown = key == "NIX_SSHOPTS" ? SSHSecrets.maskedOptionString(value) : value
            return "\(key)=\(RemoteShell.quoteIfNeeded(shown))"
        }
        let isSSH = executable == "ssh" || executable.hasSuffix("/ssh")
        let shownArguments = isSSH ? SSHSecrets.masked(arguments) : arguments
        return (env + [executable] + shownArguments.map(RemoteShell.quoteIfNeeded)).joined(separator: " ")
    }

    package var description: String { commandLine }
}
