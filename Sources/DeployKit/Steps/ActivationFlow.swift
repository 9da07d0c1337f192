/// Activates a profile on its target and walks deploy-rs's safety nets: auto rollback when
/// the activation fails, magic rollback unless a NEW ssh connection confirms in time.
///
/// Each method reports what the target is on afterwards, so the shell can tell exactly
/// which targets are on which generation after any failure.
package struct ActivationFlow: Sendable {
    package var runner: any CommandRunner
    package var remote: RemoteSession
    package var events: any EventSink
    /// Asks for the sudo password of a host (interactiveSudo), late: only at activation.
    package var sudoPassword: (@Sendable (_ host: String) async throws -> String?)?
    /// Where this process installed the activator, so calls after the first send the small
    /// boot program; `nil`: always send the whole activator.
    package var installations: ActivatorInstallations?

    package init(
        runner: any CommandRunner,
        remote: RemoteSession,
        events: any EventSink,
        sudoPassword: (@Sendable (_ host: String) async throws -> String?)? = nil,
        installations: ActivatorInstallations? = nil
    ) {
        self.runner = runner
        self.remote = remote
        self.events = events
        self.sudoPassword = sudoPassword
        self.installations = installations
    }

    /// The activator client for a profile (sudo and password as its settings say).
    package func client(for profile: ResolvedProfile) async throws -> ActivatorClient {
        var password: String?
        if profile.usesSudo, profile.settings.interactiveSudo, let sudoPassword {
            password = try await sudoPassword(profile.hostname)
        }
        return ActivatorClient(
            runner: runner,
            ssh: remote.ssh(for: profile),
            sudoWords: ActivatorClient.sudoWords(for: profile),
            sudoPassword: password,
            installation: installations.map { (profile.settings.tempPath, $0) }
        )
    }

    /// The profile's path on the target, resolving deploy-rs's per-user rule there.
    package func profilePath(of profile: ResolvedProfile, client: ActivatorClient) async throws -> String {
        switch profile.location {
        case .explicit(let path), .fixed(let path):
            return path
        case .perUser(let user, let name):
            let reply = try await client.run(.profilePath(user: user, name: name))
            guard let path = reply[.profilePath], reply.exitCode == 0 else {
                throw DeployError(
                    target: profile.ref,
                    step: .activate,
                    reason: "cannot find where the profile of user '\(user)' lives on the target",
                    details: Self.details(of: reply)
                )
            }
            return path
        }
    }

    /// Activates `target` in `mode`; with `confirm`, also waits for the canary and confirms it.
    ///
    /// - Returns: `.activated`, `.dryActivated`, or `.pending` when `confirm` is false.
    /// - Throws: ``DeployError`` when the activation failed (after an auto rollback, if on),
    ///   when the profile is locked by another deployer, or when the magic rollback fired.
    ///
    /// - Parameter id: The deployment's id on the node (its canary, its files); the caller keeps
    ///   it so that a cancelled activation can still be rolled back through its watchdog.
    package func activate(
        _ target: DeployTarget,
        mode: ActivationMode,
        confirm: Bool,
        id: String = ActivationFlow.newID()
    ) async throws -> ActivationOutcome {
        let profile = target.resolved
        let ref = target.ref
        events.emit(DeployEvent(.started, target: ref, step: .activate, message: mode.rawValue))
        try await remote.connect(profile)
        let client = try await client(for: profile)
        let path = try await profilePath(of: profile, client: client)
        let settings = profile.settings
        let magic = settings.magicRollback && mode == .switch
        let events = events
        let request = ActivatorRequest.activate(
            .init(
                profile: path,
                closure: target.storePath,
                mode: mode,
                tempPath: settings.tempPath,
                magicRollback: magic,
                autoRollback: settings.autoRollback,
                confirmTimeout: settings.confirmTimeout,
                id: id,
                activationTimeout: settings.activationTimeout
            )
        )
        let output: ActivatorReply
        do {
            output = try await client.run(request) { line in
                events.emit(DeployEvent(.output, target: ref, step: .activate, message: OutputLine.shortened(line)))
            }
        } catch let failure as CommandFailure {
            // The session ended without an answer: ask the node what its watchdog decided.
            throw await lostActivator(target, client: client, id: id, details: failure.details, sshFailure: failure)
        }
        try Task.checkCancellation()
        if output.outcomeText == nil, output.lockHolder == nil, output.exitCode != 64 {
            throw await lostActivator(target, client: client, id: id, details: Self.details(of: output))
        }
        let generation = output.generation
        switch (output.outcome, output.exitCode) {
        case (.dryActivated, 0):
            events.emit(DeployEvent(.finished, target: ref, step: .activate, message: "dry activation succeeded"))
            return .dryActivated
        case (.activated, 0):
            events.emit(DeployEvent(.finished, target: ref, step: .activate, message: "generation \(generation ?? 0)"))
            return .activated(generation: generation)
        case (.pending, 0):
            let pending = PendingActivation(
                id: id,
                canary: output[.canary] ?? "",
                generation: generation,
                deadline: .now + .seconds(settings.confirmTimeout)
            )
            events.emit(DeployEvent(.finished, target: ref, step: .activate, message: "generation \(generation ?? 0)"))
            guard confirm else { return .pending(pending) }
            // `activate` returns `pending` only once the canary exists: no need to wait for it.
            return try await self.confirm(target, pending: pending, canaryExists: true)
        default:
            if output.outcome == .setFailed, let missing = await missingClosureError(for: target, client: client) {
                throw missing
            }
            throw failure(of: output, target: target, path: path)
        }
    }

    /// Waits for the canary, deletes it over a NEW connection, and waits for the watchdog.
    ///
    /// The confirmation and the wait for the watchdog's verdict share the new connection;
    /// only when that connection fails is the verdict read over the shared one.
    /// - Throws: ``DeployError`` when the new connection fails and the target rolls back.
    package func confirm(
        _ target: DeployTarget,
        pending: PendingActivation,
        canaryExists: Bool = false
    ) async throws -> ActivationOutcome {
        let profile = target.resolved
        let ref = target.ref
        let settings = profile.settings
        let client = try await client(for: profile)
        if !canaryExists {
            events.emit(DeployEvent(.started, target: ref, step: .wait, message: "for the canary"))
            let waited = try await client.run(
                .wait(tempPath: settings.tempPath, id: pending.id, timeout: settings.activationTimeout)
            )
            guard waited.exitCode == 0, waited.outcome != .confirmed else {
                // Confirmed before this deployer confirmed anything: not a confirmation of ours.
                let verdict = ActivatorVerdict(waited, confirmedBy: [])
                if case .unknown = verdict {
                    throw DeployError(
                        target: ref,
                        step: .wait,
                        reason: "the canary did not appear within activationTimeout (\(settings.activationTimeout) s)",
                        details: Self.details(of: waited),
                        hint: "The target rolls back by itself after confirmTimeout; run `status` to see where it is.",
                        failure: .canaryMissing,
                        state: .unknown
                    )
                }
                let reason = "not confirmed: \(verdict.summary)"
                events.emit(DeployEvent(.failed, target: ref, step: .confirm, message: reason))
                throw DeployError(
                    target: ref,
                    step: .confirm,
                    reason: reason,
                    details: Self.details(of: waited),
                    hint: verdict.state == .rolledBack
                        ? "Its magic rollback fired first (confirmTimeout is \(settings.confirmTimeout) s): activate "
                            + "it again and confirm in time, or raise confirmTimeout (`set confirmTimeout 120`)."
                        : "Run `generations \(ref)` to see where the node is, then `rollback --to GEN` if needed.",
                    failure: verdict.state == .rollbackFailed ? .rollbackFailed : .notConfirmed,
                    state: verdict.state,
                    generation: verdict.generation
                )
            }
        }
        events.emit(DeployEvent(.started, target: ref, step: .confirm, message: "over a new ssh connection"))
        var confirmFailure: [String] = []
        var connectionFailed = false
        // Each confirm sends a new nonce; a confirmation counts only when the node's own record
        // names one of them (never a canary that merely disappeared).
        let nonces = NonceLog()
        do {
            let confirmed = try await confirmOverANewConnection(
                client: client,
                tempPath: settings.tempPath,
                pending: pending,
                nonces: nonces
            )
            if confirmed.exitCode == 0, confirmed.outcome == .confirmed,
                let by = confirmed.confirmedBy, nonces.contains(by)
            {
                let generation = confirmed.generation ?? pending.generation
                events.emit(
                    DeployEvent(.finished, target: ref, step: .confirm, message: "generation \(generation ?? 0)")
                )
                return .activated(generation: generation)
            }
            confirmFailure = Self.details(of: confirmed)
        } catch let failure as CommandFailure {
            confirmFailure = failure.details
            connectionFailed = true
        }
        // The watchdog's own record decides what is reported (truth rule), over the shared connection.
        let verdict = await verdict(
            client: client,
            tempPath: settings.tempPath,
            id: pending.id,
            wait: settings.confirmTimeout + 15,
            confirmedBy: nonces.all
        )
        if case .confirmed(let generation) = verdict {
            events.emit(DeployEvent(.finished, target: ref, step: .confirm, message: "generation \(generation ?? 0)"))
            return .activated(generation: generation ?? pending.generation)
        }
        let cause =
            connectionFailed
            ? "a new ssh connection failed after activation" : "the activation was not confirmed in time"
        let reason =
            switch verdict {
            case .rolledBack: "\(cause); magic rollback restored the previous generation"
            case .rollbackFailed(let generation):
                "\(cause) and the watchdog's rollback failed; the node is on generation \(generation.map(String.init) ?? "(none)")"
            default: "\(cause); \(verdict.summary)"
            }
        events.emit(DeployEvent(.failed, target: ref, step: .confirm, message: reason))
        throw DeployError(
            target: ref,
            step: .confirm,
            reason: reason,
            details: confirmFailure,
            hint: verdict.state == .rolledBack
                ? "The new profile cut off access (or broke ssh); fix it before deploying it again."
                : "Run `status` and `generations` to see where the node is, then `rollback` by hand if needed.",
            failure: verdict.state == .rollbackFailed ? .rollbackFailed : .notConfirmed,
            state: verdict.state,
            generation: verdict.generation
        )
    }

    /// Sends `confirm` over a NEW connection; a connection the server closed before
    /// authentication (a source penalty of modern sshd) is tried again while the window is open.
    private func confirmOverANewConnection(
        client: ActivatorClient,
        tempPath: String,
        pending: PendingActivation,
        nonces: NonceLog
    ) async throws -> ActivatorReply {
        var waits = SSHRefusal.backoff(until: pending.deadline)[...]
        while true {
            do {
                let nonce = Self.newID()
                nonces.append(nonce)
                return try await client.run(
                    .confirm(tempPath: tempPath, id: pending.id, wait: 15, nonce: nonce),
                    newConnection: true
                )
            } catch let failure as CommandFailure {
                guard SSHRefusal.isTransient(failure.standardErrorTail), let wait = waits.popFirst() else {
                    throw failure
                }
                try await Task.sleep(for: wait)
            }
        }
    }

    /// Rolls back: a pending activation now, or to a generation (default: the previous one).
    package func rollback(_ profile: ResolvedProfile, pending: PendingActivation?, generation: Int?) async throws
        -> ActivationOutcome
    {
        let ref = profile.ref
        events.emit(DeployEvent(.started, target: ref, step: .rollback))
        try await remote.connect(profile)
        let client = try await client(for: profile)
        let path = try await profilePath(of: profile, client: client)
        let tempPath = profile.settings.tempPath
        let output = try await client.run(
            pending.map { .rollbackPending(profile: path, tempPath: tempPath, id: $0.id) }
                ?? .rollback(profile: path, tempPath: tempPath, generation: generation)
        )
        guard output.exitCode == 0 || output.outcome == .rolledBack else {
            if let holder = output.lockHolder {
                throw DeployError(
                    target: ref,
                    step: .rollback,
                    reason: "the profile is being deployed by \(holder); nothing was rolled back",
                    details: Self.details(of: output),
                    hint: "Wait for the other deployment to finish, then run `rollback` again.",
                    failure: .locked(holder: holder),
                    state: .unknown
                )
            }
            if let missing = Self.missingGeneration(output, path: path, generation: generation) {
                throw DeployError(
                    target: ref,
                    step: .rollback,
                    reason: missing,
                    details: Self.details(of: output),
                    hint: "Run `generations \(ref)` to list the generations there.",
                    failure: .rollbackFailed,
                    state: .rollbackFailed
                )
            }
            throw DeployError(
                target: ref,
                step: .rollback,
                reason: "rollback did not complete (\(output.outcomeText ?? output.command.status.description))",
                details: Self.details(of: output),
                failure: .rollbackFailed,
                state: .rollbackFailed
            )
        }
        let now = output.generation
        events.emit(DeployEvent(.finished, target: ref, step: .rollback, message: "generation \(now ?? 0)"))
        return .rolledBack(generation: now, reason: "rolled back on request")
    }

    /// What a profile points to on its target now: store path and generation (for `status`).
    package func current(_ profile: ResolvedProfile) async throws -> (storePath: String?, generation: Int?) {
        let client = try await client(for: profile)
        let path = try await profilePath(of: profile, client: client)
        let reply = try await client.run(.status(profile: path, tempPath: profile.settings.tempPath))
        return (reply.currentPath, reply.generation)
    }

    /// A random hex token naming one activation's canary and files on the target.
    package static func newID() -> String {
        (0..<16).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
    }
}
