import DeployKit

/// The engine services for one command, wired to the session's runner, Nix and console.
@MainActor
package struct Engine {
    package let nix: NixCommand
    package let remote: RemoteSession
    package let builder: Builder
    package let copier: Copier
    package let activation: ActivationFlow
    package let differ: DiffFlow
    /// Runs plans: every write-side command goes through it.
    package let executor: Executor

    package init(session: Session) async throws {
        nix = try await session.nix()
        let runner = session.runner
        let events = ConsoleEventSink(console: session.console)
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
}
