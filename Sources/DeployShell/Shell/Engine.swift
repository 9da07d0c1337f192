import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The engine services for one command, wired to the session's runner, Nix and console.
@MainActor
package struct Engine {
    package let nix: NixCommand
    /// The runner every command goes through (writing per-node logs when `logDir` is set).
    package let runner: any CommandRunner
    package let remote: RemoteSession
    package let builder: Builder
    package let copier: Copier
    package let activation: ActivationFlow
    package let differ: DiffFlow
    /// Runs plans: every write-side command goes through it.
    package let executor: Executor

    package init(session: Session) async throws {
        nix = try await session.nix()
        let runner = try Self.runner(for: session)
        self.runner = runner
        let events = ConsoleEventSink(console: session.console, activationLogs: session.activationLogs)
        remote = RemoteSession(runner: runner, controlDirectory: session.environment.runtimeDirectory + "/ssh")
        builder = Builder(
            runner: runner,
            nix: nix,
            remote: remote,
            events: events,
            resultDirectory: session.resultDirectory
        )
        copier = Copier(runner: runner, nix: nix, remote: remote, events: events)
        var ask: (@Sendable (_ host: String) async throws -> String?)?
        if let cache = session.sudoPasswords {
            ask = { @Sendable host in try await cache.password(for: host) }
        }
        activation = ActivationFlow(
            runner: runner,
            remote: remote,
            events: events,
            sudoPassword: ask
        )
        differ = DiffFlow(runner: runner, nix: nix, activation: activation)
        executor = Executor(builder: builder, copier: copier, activation: activation, remote: remote)
    }

    /// The session's runner, writing per-node logs when `logDir` is set.
    private static func runner(for session: Session) throws -> any CommandRunner {
        guard let directory = session.logDirectory, let config = session.config else { return session.runner }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var destinations: [String: String] = [:]
        for node in config.nodes {
            guard let profile = node.profiles.first else { continue }
            let ref = ProfileRef(node: node.name, profile: profile.name)
            if let resolved = try? session.resolve(ref), !resolved.sshDestination.isEmpty {
                destinations[resolved.sshDestination] = destinations[resolved.sshDestination] ?? node.name
            }
        }
        return LoggingRunner(base: session.runner, directory: directory, nodeByDestination: destinations)
    }
}
