/// Runs the on-target activator program over ssh for one target, through sudo when needed.
///
/// The program itself (``ActivatorScript/program``) is sent with every call as `sh -c PROGRAM`,
/// so nothing of deploysh has to be installed on the target.
package struct ActivatorClient: Sendable {
    package var runner: any CommandRunner
    package var ssh: SSHCommand
    /// Words that run a command as the profile user (`sudo -u root`), or empty.
    package var sudoWords: [String]
    /// The sudo password for `interactiveSudo`, sent on standard input.
    package var sudoPassword: String?

    package init(runner: any CommandRunner, ssh: SSHCommand, sudoWords: [String], sudoPassword: String? = nil) {
        self.runner = runner
        self.ssh = ssh
        self.sudoWords = sudoWords
        self.sudoPassword = sudoPassword
    }

    /// The remote argv for `request`: `[sudo -u USER] sh -c PROGRAM deploysh-activator ARGS`.
    package func words(_ request: ActivatorRequest) -> [String] {
        words(arguments: request.arguments)
    }

    /// The remote argv for raw activator arguments (the activator's own usage checks are tested with it).
    package func words(arguments: [String]) -> [String] {
        sudoWords + ["sh", "-c", ActivatorScript.program, "deploysh-activator"] + arguments
    }

    /// Runs the activator for `request` over the shared connection (or a new one).
    ///
    /// - Parameter onLine: Receives the activator's stderr (activation output) line by line.
    /// - Throws: ``CommandFailure`` when ssh itself fails (exit 255: host down, key refused).
    package func run(
        _ request: ActivatorRequest,
        newConnection: Bool = false,
        onLine: (@Sendable (String) -> Void)? = nil
    ) async throws -> ActivatorReply {
        let arguments = request.arguments
        var invocation =
            newConnection ? ssh.runOnNewConnection(words(arguments: arguments)) : ssh.run(words(arguments: arguments))
        if let sudoPassword { invocation.standardInput = sudoPassword + "\n" }
        invocation.display = display(invocation, arguments: arguments)
        let result = try await runner.run(invocation, onStandardErrorLine: onLine)
        if result.status == .exited(255) {
            throw CommandFailure(
                result,
                summary: "cannot reach \(ssh.destination) over ssh",
                hint: "Check that the host is up and that `ssh \(ssh.destination)` works with the same options."
            )
        }
        if result.status == .cancelled { throw CancellationError() }
        return ActivatorReply(result)
    }

    /// The invocation as a person would read it: the program shown as `<deploysh activator>`.
    private func display(_ invocation: Invocation, arguments: [String]) -> String {
        let program = RemoteShell.command(words(arguments: arguments))
        let shown =
            (sudoWords + ["sh", "-c"]).map(RemoteShell.quoteIfNeeded) + ["<deploysh activator>"]
            + (["deploysh-activator"] + arguments).map(RemoteShell.quoteIfNeeded)
        let local = SSHSecrets.masked(invocation.arguments).map {
            $0 == program ? shown.joined(separator: " ") : RemoteShell.quoteIfNeeded($0)
        }
        return ([invocation.executable] + local).joined(separator: " ")
    }

    /// The sudo prefix for a profile: `sudo -u USER` from the `sudo` setting, or none.
    package static func sudoWords(for profile: ResolvedProfile) -> [String] {
        guard profile.usesSudo else { return [] }
        var words = profile.settings.sudo.split(whereSeparator: \.isWhitespace).map(String.init)
        if profile.settings.interactiveSudo, let first = words.first, first == "sudo" {
            words.insert(contentsOf: ["-S", "-p", ""], at: 1)
        }
        return words + [profile.profileUser]
    }
}
