import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The ssh side of one deploysh process: where control sockets live, and the options per host.
///
/// One shared connection per host carries copy, activate and wait; confirmations use a new
/// connection on purpose. Control sockets live in a private directory of this process.
package struct RemoteSession: Sendable {
    package var runner: any CommandRunner
    package var controlDirectory: String
    package var connectTimeout: Int
    /// Hosts this session already connected to, so later steps of one command skip `ssh true`.
    private let connected = ConnectedHosts()

    package init(runner: any CommandRunner, controlDirectory: String, connectTimeout: Int = 10) {
        self.runner = runner
        self.controlDirectory = controlDirectory
        self.connectTimeout = connectTimeout
    }

    /// The ssh command for a profile's host with its effective `sshOpts`.
    package func ssh(for profile: ResolvedProfile) -> SSHCommand {
        SSHCommand(
            options: profile.settings.sshOpts,
            destination: profile.sshDestination,
            controlDirectory: controlDirectory,
            connectTimeout: connectTimeout
        )
    }

    /// The profile's destination, checked again right before ssh or Nix is given it.
    ///
    /// The flake's values were checked at load, but a destination can also come from a session
    /// override or a caller that built the profile itself; nothing that could be read as an
    /// option reaches ssh or an `ssh://` store URL.
    ///
    /// - Throws: `DestinationError` naming the attribute the bad value came from, or
    ///   `.noUser` when neither `user` nor `sshUser` is set (deploy-rs refuses that too).
    package func destination(for profile: ResolvedProfile) throws(DestinationError) -> SSHDestination {
        guard !profile.hostname.isEmpty else { throw .noHostname(node: profile.node) }
        guard profile.settings.user != nil || profile.settings.sshUser != nil else {
            throw .noUser(node: profile.node, profile: profile.profile)
        }
        let user = profile.settings.sshUser ?? profile.profileUser
        let userSource = profile.settings.sshUser == nil ? SettingLevel.default : profile.settings.source(of: .sshUser)
        // deploy-rs takes these; deploysh refuses them before any ssh call or path on the target.
        if let sshUser = profile.settings.sshUser, let problem = TargetPathRules.userProblem(sshUser, isSSHUser: true) {
            throw .refusedUser(
                attribute: Self.attribute(.sshUser, from: userSource, of: profile),
                value: sshUser,
                problem: problem
            )
        }
        if let problem = TargetPathRules.userProblem(profile.profileUser, isSSHUser: profile.settings.sshUser == nil) {
            let source = profile.settings.user == nil ? userSource : profile.settings.source(of: .user)
            let key: SettingKey = profile.settings.user == nil ? .sshUser : .user
            throw .refusedUser(
                attribute: Self.attribute(key, from: source, of: profile),
                value: profile.profileUser,
                problem: problem
            )
        }
        return try SSHDestination(
            user: user,
            host: profile.hostname,
            userAttribute: Self.attribute(.sshUser, from: userSource, of: profile),
            hostAttribute: Self.attribute(.hostname, from: profile.settings.source(of: .hostname), of: profile)
        )
    }

    /// The attribute path a setting of `profile` came from, for errors: `deploy.nodes.web.hostname`.
    private static func attribute(_ key: SettingKey, from level: SettingLevel, of profile: ResolvedProfile) -> String {
        let node = ["nodes", profile.node]
        switch level {
        case .deploy: return "deploy." + SchemaChecker.join([key.rawValue])
        case .node: return "deploy." + SchemaChecker.join(node + [key.rawValue])
        case .profile: return "deploy." + SchemaChecker.join(node + ["profiles", profile.profile, key.rawValue])
        case .override: return "setting '\(key.rawValue)'"
        case .default: return key == .hostname ? "deploy." + SchemaChecker.join(node + ["hostname"]) : "the local user"
        }
    }

    /// Opens the shared connection to a profile's host (a no-op when one is open).
    ///
    /// Safe to call concurrently: callers for one host (destination and options) share one
    /// opening, so the executor may open a later batch's connections in the background while
    /// that batch's own `connect` waits for the same one. A failed opening is forgotten (the
    /// next call tries again and reports its own error); an opening cancelled by another caller
    /// is started again for a caller that is not cancelled.
    ///
    /// - Throws: ``CommandFailure`` with ssh's own error when the host cannot be reached.
    package func connect(_ profile: ResolvedProfile) async throws {
        guard !profile.hostname.isEmpty else {
            let missing = DestinationError.noHostname(node: profile.node)
            var error = DeployError(target: profile.ref, step: .connect, reason: missing.message, hint: missing.hint)
            error.oneShotHint = missing.hint(in: .oneShot)
            throw error
        }
        _ = try destination(for: profile)
        let ssh = ssh(for: profile)
        let session = self
        // Bounded: a retry happens only when another caller cancelled the shared opening.
        for _ in 0..<3 {
            let opening = connected.opening(for: ssh) { try await session.open(profile, ssh: ssh) }
            do {
                try await withTaskCancellationHandler {
                    try await opening.value
                } onCancel: {
                    opening.cancel()
                }
                return
            } catch {
                connected.forget(ssh, opening: opening)
                if error is CancellationError, !Task.isCancelled { continue }
                throw error
            }
        }
        throw CancellationError()
    }

    /// Opens the shared connection for ``connect(_:)``: one at a time per host.
    private func open(_ profile: ResolvedProfile, ssh: SSHCommand) async throws {
        try Self.createPrivateDirectory(controlDirectory)
        let log = controlDirectory + "/connect-\(abs(profile.sshDestination.hashValue)).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o600])
        guard let invocation = ssh.openMaster(logFile: log), let check = ssh.checkMaster(),
            let socket = ssh.controlPath
        else { return }
        if FileManager.default.fileExists(atPath: socket) {
            if try await runner.run(check).succeeded { return }
            try? FileManager.default.removeItem(atPath: socket)  // left by a master that died
        }
        // A server that closes the connection before authentication (a source penalty after an
        // earlier refused connection) is asked again, a few times, with growing waits.
        var waits = SSHRefusal.backoff(until: nil)[...]
        while true {
            let master = SharedMaster(runner: runner, invocation: invocation)
            SharedMaster.register(master, in: controlDirectory)
            guard let failed = try await master.waitUntilOpen(socket: socket, seconds: connectTimeout + 5) else {
                break
            }
            if failed.status == .cancelled { throw CancellationError() }
            let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            // ssh writes its log with CRLF line ends (one Character in Swift): split on any line end.
            let lines = logged.split(whereSeparator: \.isNewline).suffix(10).map(String.init)
            if SSHRefusal.isTransient(lines), let wait = waits.popFirst() {
                try await Task.sleep(for: wait)
                continue
            }
            var shown = failed
            shown.standardErrorTail = lines
            throw CommandFailure(
                shown,
                summary: "cannot connect to \(profile.sshDestination) (node '\(profile.node)')",
                hint: SSHFailureCause(lines).hint(destination: profile.sshDestination, host: profile.hostname)
            )
        }
    }

    /// Closes every shared connection in the control directory and removes the directory.
    package func shutdown() async {
        let sockets = (try? FileManager.default.contentsOfDirectory(atPath: controlDirectory)) ?? []
        for name in sockets where !name.hasSuffix(".log") && !name.hasPrefix("bin-") {
            _ = try? await runner.run(SSHCommand.closeMaster(socket: controlDirectory + "/" + name))
        }
        await SharedMaster.stopAll(in: controlDirectory)
        try? FileManager.default.removeItem(atPath: controlDirectory)
    }

    /// The environment and PATH nix needs to reach a profile's host with the exact ssh options.
    ///
    /// When an option contains a blank (which Nix 2.8 would split), a wrapper `ssh` goes
    /// first on `PATH` instead of `NIX_SSHOPTS`.
    package func nixEnvironment(for profile: ResolvedProfile) throws -> [String: String] {
        _ = try destination(for: profile)
        let ssh = ssh(for: profile)
        guard ssh.needsWrapperForNix else { return ["NIX_SSHOPTS": ssh.nixSSHOptions] }
        // One wrapper per host and options: it names that host's control socket, so a wrapper
        // shared by two hosts would send one host's copy over the other's connection.
        let directory = controlDirectory + "/bin-\(ssh.socketName)"
        try Self.createPrivateDirectory(controlDirectory)
        try Self.createPrivateDirectory(directory)
        let wrapper = directory + "/ssh"
        // The wrapper holds every sshOpt (secrets too): readable and runnable by the owner only.
        let script = Data(ssh.wrapperScript(realSSH: Self.realSSH()).utf8)
        // Profiles of one node copy in parallel and share its wrapper: it is never removed
        // or rewritten in place (a copy starting meanwhile would find the real `ssh` on PATH,
        // without the options), only written once, to a new name moved over it atomically.
        if FileManager.default.contents(atPath: wrapper) != script {
            let staged = wrapper + ".\(UInt64.random(in: 0...UInt64.max))"
            guard
                FileManager.default.createFile(atPath: staged, contents: script, attributes: [.posixPermissions: 0o700])
            else { throw InternalError("cannot write the ssh wrapper \(wrapper)") }
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: staged)
            guard rename(staged, wrapper) == 0 else {
                try? FileManager.default.removeItem(atPath: staged)
                throw InternalError("cannot put the ssh wrapper in place at \(wrapper)")
            }
        }
        let path = ProcessEnvironment.value("PATH") ?? "/usr/bin:/bin"
        return ["PATH": directory + ":" + path, "NIX_SSHOPTS": ""]
    }

    /// Creates `path` (mode 0700) if needed: what lives here is for this user only.
    private static func createPrivateDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
    }

    private static func realSSH() -> String {
        let path = ProcessEnvironment.value("PATH") ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) where !directory.contains("deploysh") {
            let candidate = directory + "/ssh"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/ssh"
    }
}

/// The shared connection per ssh command (destination and options): opening or open.
private final class ConnectedHosts: Sendable {
    private let openings = Mutex<[SSHCommand: Task<Void, any Error>]>([:])

    /// The opening of `ssh`'s connection: the one under way or done, else a new one running `open`.
    func opening(for ssh: SSHCommand, _ open: @escaping @Sendable () async throws -> Void) -> Task<Void, any Error> {
        openings.withLock { openings in
            if let opening = openings[ssh] { return opening }
            let opening = Task { try await open() }
            openings[ssh] = opening
            return opening
        }
    }

    /// Forgets a failed `opening`, so that the next caller opens the connection again.
    func forget(_ ssh: SSHCommand, opening: Task<Void, any Error>) {
        openings.withLock { openings in
            if openings[ssh] == opening { openings[ssh] = nil }
        }
    }
}
