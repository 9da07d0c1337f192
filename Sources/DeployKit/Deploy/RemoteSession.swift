import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
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

    /// Opens the shared connection to a profile's host (a no-op when one is open).
    ///
    /// - Throws: ``CommandFailure`` with ssh's own error when the host cannot be reached.
    package func connect(_ profile: ResolvedProfile) async throws {
        guard !profile.hostname.isEmpty else {
            throw DeployError(
                target: profile.ref,
                step: .connect,
                reason: "node '\(profile.node)' has no hostname",
                hint: "Set `hostname` on the node in the flake, or override it: `set hostname HOST`."
            )
        }
        let ssh = ssh(for: profile)
        guard !connected.contains(ssh) else { return }
        try FileManager.default.createDirectory(atPath: controlDirectory, withIntermediateDirectories: true)
        let log = controlDirectory + "/connect-\(abs(profile.sshDestination.hashValue)).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        guard let invocation = ssh.openMaster(logFile: log) else { return }
        let result = try await runner.run(invocation)
        if result.status == .cancelled { throw CancellationError() }
        guard result.succeeded else {
            let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            var failed = result
            failed.standardErrorTail = logged.split(separator: "\n").suffix(10).map(String.init)
            throw CommandFailure(
                failed,
                summary: "cannot connect to \(profile.sshDestination) (node '\(profile.node)')",
                hint: "Check that the host is up and reachable, and that `ssh \(profile.sshDestination)` works."
            )
        }
        connected.insert(ssh)
    }

    /// Closes every shared connection in the control directory and removes the directory.
    package func shutdown() async {
        let sockets = (try? FileManager.default.contentsOfDirectory(atPath: controlDirectory)) ?? []
        for name in sockets where !name.hasSuffix(".log") && !name.hasPrefix("bin-") {
            _ = try? await runner.run(SSHCommand.closeMaster(socket: controlDirectory + "/" + name))
        }
        try? FileManager.default.removeItem(atPath: controlDirectory)
    }

    /// The environment and PATH nix needs to reach a profile's host with the exact ssh options.
    ///
    /// When an option contains a blank (which Nix 2.8 would split), a wrapper `ssh` goes
    /// first on `PATH` instead of `NIX_SSHOPTS`.
    package func nixEnvironment(for profile: ResolvedProfile) throws -> [String: String] {
        let ssh = ssh(for: profile)
        guard ssh.needsWrapperForNix else { return ["NIX_SSHOPTS": ssh.nixSSHOptions] }
        let directory = controlDirectory + "/bin-\(abs(ssh.options.hashValue))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let wrapper = directory + "/ssh"
        try ssh.wrapperScript(realSSH: Self.realSSH()).write(toFile: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return ["PATH": directory + ":" + path, "NIX_SSHOPTS": ""]
    }

    private static func realSSH() -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) where !directory.contains("deploysh") {
            let candidate = directory + "/ssh"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/ssh"
    }
}

/// The ssh commands (destination and options) whose shared connection is known to be open.
private final class ConnectedHosts: Sendable {
    private let hosts = Mutex<Set<SSHCommand>>([])

    func contains(_ ssh: SSHCommand) -> Bool { hosts.withLock { $0.contains(ssh) } }

    func insert(_ ssh: SSHCommand) {
        _ = hosts.withLock { $0.insert(ssh) }
    }
}
