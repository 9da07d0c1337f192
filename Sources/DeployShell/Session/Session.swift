import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The state of one shell: the loaded flake, overrides, selection, and what was deployed.
///
/// One session backs the REPL, a script or a `-c` run alike. It is main-actor isolated:
/// commands run one at a time, and long work inside them is `async`.
@MainActor
package final class Session {
    package let environment: ShellEnvironment
    package let console: Console
    package var flake: String?
    package var config: DeployConfig?
    /// The raw `deploy` value the load expression returned, kept for `check`.
    package var rawDeploy: JSONValue?
    package var loadDuration: Duration?
    package var overrides = SessionOverrides()
    /// Extra Nix arguments and signature checking for every nix command (`deploy -- ARGS`, `-c`).
    package var nixOptions = NixOptions()
    /// Where local builds keep result links (`deploy -k`), or `nil` for none.
    package var resultDirectory: String?
    package var selection: [ProfileRef] = []
    package var history: [String] = []
    package var wantsToQuit = false
    /// Nested `source` depth, to stop a script that sources itself.
    package var sourceDepth = 0
    private var detectedNix: NixCommand?
    package var targetStates: [ProfileRef: TargetStatus] = [:]
    package var targetOrder: [ProfileRef] = []
    /// Targets whose last build ran on the target itself (`copy` skips them).
    package var remoteBuilt: Set<ProfileRef> = []
    /// Activations waiting for `confirm` (magic rollback armed), by target.
    package var pending: [ProfileRef: PendingTarget] = [:]

    /// Nodes deployed at once (`set jobs N`); `nil`: the engine's default.
    package var jobs: Int?
    /// The last activation output of each target, for `show-log`.
    package let activationLogs = ActivationLogs()
    /// Where per-node logs go (`set logDir DIR`, `--log-dir`); `nil`: no logs.
    package var logDirectory: String?

    /// Asks for a host's sudo password at most once per session (`interactiveSudo`).
    let sudoPasswords: SudoPasswordCache?

    package init(environment: ShellEnvironment, console: Console) {
        self.environment = environment
        self.console = console
        // The live progress block makes way while the password is asked on the terminal.
        self.sudoPasswords = environment.sudoPassword.map { ask in
            SudoPasswordCache(ask: { host in try await console.withLivePaused { try await ask(host) } })
        }
    }

    package var runner: any CommandRunner { environment.runner }

    /// The nix command builder, detecting the Nix version on first use (`nix --version`).
    package func nix() async throws -> NixCommand {
        if var detectedNix {
            detectedNix.options = nixOptions
            return detectedNix
        }
        let result = try await runner.run(NixCommand.versionQuery)
        guard result.succeeded else {
            throw CommandFailure(
                result,
                summary: "cannot ask nix for its version",
                hint: "Check that `nix --version` works."
            )
        }
        guard let version = NixVersion(versionOutput: result.standardOutput) else {
            throw NixError.unknownVersion(output: result.standardOutput.trimmingSpaces)
        }
        let command = NixCommand(version: version, options: nixOptions)
        detectedNix = command
        return command
    }

    /// The builder for `nix eval`, which needs no version detection (see ``NixCommand/evaluation``).
    package var evaluationNix: NixCommand {
        NixCommand(version: NixCommand.evaluation.version, options: nixOptions)
    }

    /// The loaded configuration, or an error telling the user to load a flake.
    package func requireConfig() throws -> DeployConfig {
        guard let config else { throw SessionError.nothingLoaded }
        return config
    }

    /// The loaded flake reference, or an error telling the user to load one.
    package func requireFlake() throws -> String {
        guard let flake else { throw SessionError.nothingLoaded }
        return flake
    }

    /// Effective settings of one target, including session overrides.
    package func resolve(_ ref: ProfileRef) throws -> ResolvedProfile {
        try requireConfig().resolve(
            node: ref.node,
            profile: ref.profile,
            overrides: overrides,
            localUser: environment.localUser
        )
    }

    /// The prompt: shows the loaded flake and the selection.
    package var prompt: String {
        guard let flake else { return "deploysh> " }
        let shown: String
        switch selection.count {
        case 0: shown = ""
        case 1: shown = " [\(selection[0])]"
        default: shown = " [\(selection[0]) +\(selection.count - 1)]"
        }
        return "deploysh \(flake)\(shown)\(pendingSummary)> "
    }

    /// ` (confirm web1.system: 17 s)` while activations wait for `confirm`, for the prompt.
    package var pendingSummary: String {
        let waiting = targetOrder.compactMap { ref in pending[ref].map { (ref, $0) } }
        guard let (ref, first) = waiting.first else { return "" }
        let more = waiting.count > 1 ? " +\(waiting.count - 1)" : ""
        return " (confirm \(ref)\(more): \(first.activation.deadline.wholeSecondsLeft) s)"
    }
}

extension String {
    package var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

extension Session {
    /// Closes shared ssh connections and removes this process's runtime files.
    package func shutdown() async {
        let control = environment.runtimeDirectory + "/ssh"
        // No control directory: nothing was connected, nothing to close (and no hop off this actor).
        if access(control, F_OK) == 0 {
            await RemoteSession(runner: runner, controlDirectory: control).shutdown()
        }
        RuntimeDirectory.remove(environment.runtimeDirectory)
    }

    /// Every target a write-side command touched, in the order first touched.
    package func deployStatus() -> [TargetStatus] {
        targetOrder.compactMap { targetStates[$0] }
    }

    /// Records the latest state of a target for `status`.
    package func record(_ status: TargetStatus) {
        let ref = ProfileRef(node: status.node, profile: status.profile)
        if targetStates[ref] == nil { targetOrder.append(ref) }
        targetStates[ref] = status
    }
}
