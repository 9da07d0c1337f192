import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The state of one shell, in parts with one owner each: the loaded flake (changed only by
/// `load`), the settings (`set`, `unset`, the one-shot command line), the selection (`select`)
/// and the target ledger (changed only by what a deploy's summary says).
///
/// One session backs the REPL, a script or a `-c` run alike. It is main-actor isolated:
/// commands run one at a time, and long work inside them is `async`.
@MainActor
package final class Session {
    package let environment: ShellEnvironment
    package let console: Console
    /// The flake `load` evaluated; see ``adopt(_:)``.
    package private(set) var loaded: LoadedFlake?
    /// Settings for every deploy of this session; see ``updateSettings(_:)``.
    package private(set) var settings = DeploySettings()
    /// Every target this session touched; see ``record(_:)``.
    package private(set) var ledger = TargetLedger()
    /// The profiles later commands act on; see ``select(_:)``.
    package private(set) var selection: [ProfileRef] = []
    /// The staged rollout stopped after a batch (`deploy --pause-after`), for `resume` or
    /// `abort`; changed only by ``record(_:)``.
    package private(set) var pausedRollout: (rollout: PausedRollout, flakes: [LoadedFlake])?
    package var history: [String] = []
    package var wantsToQuit = false
    /// Whether a person types the commands (the REPL): leaving with pending activations asks.
    package var isInteractive = false
    /// Whether leaving was already refused once because of pending activations.
    package var wasWarnedAboutLeaving = false
    /// Nested `source` depth, to stop a script that sources itself.
    package var sourceDepth = 0
    /// The local Nix's version, once a command learned it.
    private var nixVersion: NixVersion?
    /// The last activation output of each target, for `show-log`.
    package let activationLogs = ActivationLogs()
    /// What each node is doing now (for a second Ctrl-C: leave at once, and say so).
    package let nodeWork = NodeWork()
    /// Where this session installed the activator on its nodes (one copy per host, user and tempPath).
    package let activatorInstallations = ActivatorInstallations()
    /// This session's transcript, once opened (see `Session+Transcript.swift`).
    package internal(set) var transcript: Transcript?

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
    /// The loaded flake's reference.
    package var flake: String? { loaded?.reference }
    /// The loaded flake's configuration.
    package var config: DeployConfig? { loaded?.config }

    // MARK: - Changing the parts

    /// Makes `flake` the loaded one; a selection survives a reload of the same flake (minus
    /// profiles it no longer has), and is cleared for another flake.
    package func adopt(_ flake: LoadedFlake) {
        if loaded?.reference == flake.reference {
            selection = selection.filter { flake.config.node(named: $0.node)?.profile(named: $0.profile) != nil }
        } else {
            selection = []
        }
        loaded = flake
        recordFlake(flake.reference)
    }

    /// Replaces the selection.
    package func select(_ refs: [ProfileRef]) {
        selection = refs
    }

    /// Changes the settings (`set`, `unset`, the one-shot command line).
    package func updateSettings(_ change: (inout DeploySettings) throws -> Void) rethrows {
        try change(&settings)
    }

    /// Records what a deploy did: each target's state in the ledger, and the Nix version it learned.
    package func record(_ result: DeploymentResult) {
        ledger.record(result.plan, result.summary)
        if let paused = result.paused {
            pausedRollout = (paused, result.flakes)
        } else if result.plan == pausedRollout?.rollout.plan {
            pausedRollout = nil  // resumed to its end, or aborted
        }
        recordSummary(result)
        if let version = result.nixVersion { nixVersion = version }
    }

    // MARK: - The engine

    /// The engine entry for this session's next deploy, wired to its runner, console and settings.
    ///
    /// - Parameter showsAllOutput: show each done target's whole activation output (`--show-output`).
    package func deployment(showsAllOutput: Bool = false) -> Deployment {
        var ask: (@Sendable (_ host: String) async throws -> String?)?
        if let cache = sudoPasswords {
            ask = { @Sendable host in try await cache.password(for: host) }
        }
        let console: any EventSink = ConsoleEventSink(
            console: console,
            activationLogs: activationLogs,
            nodeWork: nodeWork,
            showsAllOutput: showsAllOutput || settings.showsAllOutput
        )
        var environment = DeployEnvironment(
            runner: runner,
            localUser: environment.localUser,
            runtimeDirectory: environment.runtimeDirectory,
            events: transcript.map { TranscriptEventSink(base: console, transcript: $0) } ?? console,
            sudoPassword: ask,
            nixVersion: nixVersion,
            activatorInstallations: activatorInstallations
        )
        environment.stateDirectory = self.environment.stateDirectory
        environment.planObserver = transcriptPlanObserver()
        environment.generationObserver = transcriptGenerationObserver()
        return Deployment(environment: environment, settings: settings)
    }

    /// The engine's parts (for `diff`, `exec`, `generations`), learning the Nix version when needed.
    package func services() async throws -> DeployServices {
        let deployment = deployment()
        let services = try await deployment.services(flakes: loaded.map { [$0] } ?? [])
        nixVersion = services.nix.version
        return services
    }

    /// The nix command builder, detecting the Nix version on first use (`nix --version`).
    package func nix() async throws -> NixCommand {
        let version = try await deployment().environment.detectNixVersion()
        nixVersion = version
        return NixCommand(version: version, options: settings.nixOptions)
    }

    /// The builder for `nix eval`, which needs no version detection (see ``NixCommand/evaluation``).
    package var evaluationNix: NixCommand {
        NixCommand(version: NixCommand.evaluation.version, options: settings.nixOptions)
    }

    // MARK: - Reading

    /// The loaded flake, or an error telling the user to load one.
    package func requireLoaded() throws -> LoadedFlake {
        guard let loaded else { throw SessionError.nothingLoaded }
        return loaded
    }

    /// The loaded configuration, or an error telling the user to load a flake.
    package func requireConfig() throws -> DeployConfig {
        try requireLoaded().config
    }

    /// The loaded flake reference, or an error telling the user to load one.
    package func requireFlake() throws -> String {
        try requireLoaded().reference
    }

    /// Effective settings of one target, including session overrides.
    package func resolve(_ ref: ProfileRef) throws -> ResolvedProfile {
        try requireConfig().resolve(
            node: ref.node,
            profile: ref.profile,
            overrides: settings.overrides,
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
        return "deploysh \(flake)\(shown)\(pendingSummary)\(pausedSummary)> "
    }

    /// ` (paused after batch 0: resume | abort)` while a staged rollout is paused, for the prompt.
    var pausedSummary: String {
        guard let paused = pausedRollout else { return "" }
        return " (paused after batch \(paused.rollout.batch): resume | abort)"
    }

    /// ` (confirm web1.system: 17 s)` while activations wait for `confirm`, for the prompt.
    package var pendingSummary: String {
        let waiting = ledger.pending
        guard let first = waiting.first, let pending = first.pending else { return "" }
        let more = waiting.count > 1 ? " +\(waiting.count - 1)" : ""
        return " (confirm \(first.ref)\(more): \(pending.activation.deadline.wholeSecondsLeft) s)"
    }

    /// What waits for `confirm` and when each rolls back by itself, or `nil` when nothing waits:
    /// "1 activation waits for confirm: web1.system (17 s left, then its watchdog rolls it back)".
    package func pendingWarning() -> String? {
        let waiting = ledger.pending.compactMap { entry in
            entry.pending.map { "\(entry.ref) (\($0.activation.deadline.wholeSecondsLeft) s left)" }
        }
        guard !waiting.isEmpty else { return nil }
        let count = waiting.count == 1 ? "1 activation waits" : "\(waiting.count) activations wait"
        return "\(count) for confirm: \(waiting.joined(separator: ", ")); "
            + "unconfirmed, each is rolled back by its watchdog when its time is up"
    }

    /// How the shell is being left, for what ``pausedWarning(_:)`` advises.
    package enum Leaving: Sendable {
        /// `quit` in the REPL: a second `quit` leaves.
        case quit
        /// Ctrl-D in the REPL: a second one leaves.
        case endOfInput
        /// A script, `-c` or piped input ended: deploysh exits.
        case endOfScript
    }

    /// The paused rollout that leaving now would end without `resume` or `abort`, or `nil`:
    /// which batches are done, which nodes were not deployed, what stays, and what to do.
    package func pausedWarning(_ leaving: Leaving) -> String? {
        guard let paused = pausedRollout?.rollout else { return nil }
        let batches = paused.plan.batches
        let done = paused.batch == 0 ? "batch 0 is done" : "batches 0-\(paused.batch) are done"
        let deployed = batches.prefix(paused.batch + 1).joined().map(\.name)
        let text =
            "a rollout is paused after batch \(paused.batch) (\(batches.count) batches): \(done) "
            + "(\(Self.names(deployed))); not deployed: \(Self.names(paused.waitingNodes)). The deployed nodes "
            + "stay on their new generation (confirmed); the others are untouched"
        return switch leaving {
        case .quit: text + ". `resume` or `abort` first, or `quit` again to leave it paused."
        case .endOfInput: text + ". `resume` or `abort` first, or press Ctrl-D again to leave it paused."
        case .endOfScript:
            text + "; a paused rollout ends with deploysh: end the script with `resume` or `abort`, "
                + "or deploy the nodes not deployed later."
        }
    }

    /// `a, b, c` or, past eight, `a, b, ..., h and 4 more`.
    private static func names(_ names: [String]) -> String {
        guard names.count > 8 else { return names.joined(separator: ", ") }
        return names.prefix(8).joined(separator: ", ") + " and \(names.count - 8) more"
    }

    /// What leaving at once (a second Ctrl-C) leaves behind on the nodes, one line per target
    /// that still has something going, or `nil` when nothing is.
    package func leavingNowReport() -> String? {
        let lines = nodeWork.inFlight.map { work -> String in
            let timeout = (try? resolve(work.ref))?.settings.confirmTimeout
            let window = timeout.map { " within about \($0) s" } ?? ""
            return switch work.step {
            case .activate:
                "\(work.ref): its activation runs on; with magic rollback its watchdog rolls it back by itself"
                    + "\(window) after the activation ends (without it, the new generation stays)"
            case .rollback: "\(work.ref): its rollback was asked for; the node finishes it by itself"
            default: "\(work.ref): not confirmed; its watchdog rolls it back by itself\(window)"
            }
        }
        guard !lines.isEmpty else { return nil }
        return "leaving now; on the nodes:\n  " + lines.joined(separator: "\n  ")
            + "\nRun `deploysh -c 'load FLAKE; drift'` (or `generations`) later to see where they ended."
    }

    /// Every target a write-side command touched, in the order first touched.
    package func deployStatus() -> [TargetStatus] {
        ledger.all.map(TargetStatus.init)
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
}
