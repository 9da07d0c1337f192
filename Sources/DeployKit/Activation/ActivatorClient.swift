/// Runs the on-target activator program over ssh for one target, through sudo when needed.
///
/// Nothing of deploysh has to be installed on the target: the first call sends the whole
/// program (``ActivatorScript/program``) as `sh -c PROGRAM`, asking it to keep a copy in the
/// user's private directory under tempPath; later calls send the small boot program, which
/// checks that copy's owner, mode and SHA-256 before it runs it. A node without the copy answers
/// `not-installed` and the call goes again with the whole program (docs/testbed.md).
package struct ActivatorClient: Sendable {
    package var runner: any CommandRunner
    package var ssh: SSHCommand
    /// Words that run a command as the profile user (`sudo -u root`), or empty.
    package var sudoWords: [String]
    /// The sudo password for `interactiveSudo`, sent on standard input.
    package var sudoPassword: String?
    /// Where the copy lives (the profile's tempPath), and what this process installed; `nil`:
    /// always send the whole program.
    package var installation: (tempPath: String, installed: ActivatorInstallations)?

    package init(
        runner: any CommandRunner,
        ssh: SSHCommand,
        sudoWords: [String],
        sudoPassword: String? = nil,
        installation: (tempPath: String, installed: ActivatorInstallations)? = nil
    ) {
        self.runner = runner
        self.ssh = ssh
        self.sudoWords = sudoWords
        self.sudoPassword = sudoPassword
        self.installation = installation?.tempPath.hasPrefix("/") == true ? installation : nil
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
        guard let installation else {
            return try await send(words(arguments: arguments), arguments: arguments, newConnection, onLine)
        }
        let key = ([ssh.destination, installation.tempPath] + sudoWords).joined(separator: "\u{0}")
        if installation.installed.contains(key) {
            let boot =
                sudoWords + ["sh", "-c", ActivatorScript.boot, "deploysh-activator", installation.tempPath]
                + [ActivatorScript.digest] + arguments
            let reply = try await send(boot, arguments: arguments, newConnection, onLine)
            guard reply.exitCode == 97, reply.outcome == .notInstalled else { return reply }
            installation.installed.remove(key)
        }
        let install = ["--install", installation.tempPath, ActivatorScript.digest] + arguments
        let reply = try await send(words(arguments: install), arguments: install, newConnection, onLine)
        if reply[.installed] == "1" { installation.installed.insert(key) }
        return reply
    }

    /// Sends one remote command line.
    private func send(
        _ remote: [String],
        arguments: [String],
        _ newConnection: Bool,
        _ onLine: (@Sendable (String) -> Void)?
    ) async throws -> ActivatorReply {
        var invocation = newConnection ? ssh.runOnNewConnection(remote) : ssh.run(remote)
        if let sudoPassword { invocation.standardInput = sudoPassword + "\n" }
        invocation.display = display(invocation, remote: remote)
        let result = try await runner.run(invocation, onStandardErrorLine: onLine)
        if result.status == .exited(255) {
            let cause = SSHFailureCause(result.standardErrorTail)
            let host = ssh.destination.split(separator: "@").last.map(String.init) ?? ssh.destination
            throw CommandFailure(
                result,
                summary: "cannot reach \(ssh.destination) over ssh",
                hint: cause == .other
                    ? "Check that the host is up and that `ssh \(ssh.destination)` works with the same options."
                    : cause.hint(destination: ssh.destination, host: host)
            )
        }
        if result.status == .cancelled { throw CancellationError() }
        return ActivatorReply(result)
    }

    /// The invocation as a person would read it: the programs shown as `<deploysh activator>`
    /// and `<deploysh activator boot>`.
    private func display(_ invocation: Invocation, remote: [String]) -> String {
        let command = RemoteShell.command(remote)
        let shown = remote.map { word in
            switch word {
            case ActivatorScript.program: "<deploysh activator>"
            case ActivatorScript.boot: "<deploysh activator boot>"
            default: RemoteShell.quoteIfNeeded(word)
            }
        }
        let local = SSHSecrets.masked(invocation.arguments).map {
            $0 == command ? shown.joined(separator: " ") : RemoteShell.quoteIfNeeded($0)
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
