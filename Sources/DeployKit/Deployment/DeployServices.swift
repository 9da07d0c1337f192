#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The engine's parts for one deploy, wired once: the runner (writing per-node logs when asked),
/// the ssh connections, the builder, copier, activation flow, differ and the executor.
///
/// Every write-side path (`deploy`, the step commands, the one-shot CLI, `diff`, `exec`,
/// `generations`) gets its parts here, so they cannot be wired two ways.
package struct DeployServices: Sendable {
    package let nix: NixCommand
    /// The runner every command goes through (writing per-node logs when `logDirectory` is set).
    package let runner: any CommandRunner
    package let remote: RemoteSession
    package let builder: Builder
    package let copier: Copier
    package let activation: ActivationFlow
    package let differ: DiffFlow
    package let executor: Executor
    package let events: any EventSink

    /// Wires the parts.
    ///
    /// - Parameters:
    ///   - flakes: The loaded flakes, to name each node's log file after the node.
    /// - Throws: when the log directory cannot be created.
    package init(
        environment: DeployEnvironment,
        settings: DeploySettings,
        nixVersion: NixVersion,
        flakes: [LoadedFlake]
    ) throws {
        nix = NixCommand(version: nixVersion, options: settings.nixOptions)
        let runner = try Self.runner(environment: environment, settings: settings, flakes: flakes)
        self.runner = runner
        events = environment.events
        remote = RemoteSession(runner: runner, controlDirectory: environment.controlDirectory)
        builder = Builder(
            runner: runner,
            nix: nix,
            remote: remote,
            events: events,
            resultDirectory: settings.resultDirectory
        )
        copier = Copier(
            runner: runner,
            nix: nix,
            remote: remote,
            events: events,
            stateDirectory: environment.stateDirectory
        )
        activation = ActivationFlow(
            runner: runner,
            remote: remote,
            events: events,
            sudoPassword: environment.sudoPassword,
            installations: environment.activatorInstallations
        )
        differ = DiffFlow(runner: runner, nix: nix, activation: activation)
        var executor = Executor(builder: builder, copier: copier, activation: activation, remote: remote)
        executor.generationObserver = environment.generationObserver
        self.executor = executor
    }

    /// The environment's runner, writing one log per node when `logDirectory` is set.
    private static func runner(
        environment: DeployEnvironment,
        settings: DeploySettings,
        flakes: [LoadedFlake]
    ) throws -> any CommandRunner {
        guard let directory = settings.logDirectory else { return environment.runner }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var destinations: [String: String] = [:]
        for flake in flakes {
            for node in flake.config.nodes {
                guard let profile = node.profiles.first else { continue }
                let resolved = try? flake.config.resolve(
                    node: node.name,
                    profile: profile.name,
                    overrides: settings.overrides,
                    localUser: environment.localUser
                )
                guard let resolved, !resolved.sshDestination.isEmpty else { continue }
                // Nodes that share a destination share its log, named after all of them: a
                // command's node cannot be told from its argv then, and the log must not name one.
                let named = destinations[resolved.sshDestination].map { $0.split(separator: "+").map(String.init) }
                if !(named ?? []).contains(node.name) {
                    destinations[resolved.sshDestination] = ((named ?? []) + [node.name]).joined(separator: "+")
                }
            }
        }
        return LoggingRunner(base: environment.runner, directory: directory, nodeByDestination: destinations)
    }
}
