/// How ``ActivationFlow`` turns what the activator printed into a typed ``DeployError``.
///
/// Kept apart from the flow itself: every branch here maps the activator's machine lines
/// (`result`, `generation`, `timeout`, `locked`) to a ``DeployFailure`` and a ``TargetState``,
/// never the other way round from message text.
extension ActivationFlow {
    /// The failed command line and the tail of its stderr, for error details.
    static func details(of reply: ActivatorReply) -> [String] {
        ["$ " + reply.command.invocation.commandLine] + reply.command.standardErrorTail.suffix(12)
    }

    /// What the watchdog recorded for deployment `id`, waiting up to `wait` seconds for its
    /// verdict; `.unknown` when the node cannot be asked.
    ///
    /// - Parameter confirmedBy: The nonces of this deployer's confirms: a recorded confirmation
    ///   by any other is not reported as confirmed.
    func verdict(
        client: ActivatorClient,
        tempPath: String,
        id: String,
        wait: Int,
        confirmedBy nonces: Set<String> = []
    ) async -> ActivatorVerdict {
        do {
            let reply = try await client.run(.result(tempPath: tempPath, id: id, timeout: wait))
            return ActivatorVerdict(reply, confirmedBy: nonces)
        } catch {
            let why = (error as? any UserFacingError)?.message ?? String(describing: error)
            return .unknown(lastSeen: "the node could not be asked (\(why))")
        }
    }

    /// The error for an activation whose activator ended without reporting (killed, session
    /// dropped): the watchdog's verdict when the node can tell, else `.unknown`.
    func lostActivator(
        _ target: DeployTarget,
        client: ActivatorClient,
        id: String,
        details: [String],
        sshFailure: CommandFailure? = nil
    ) async -> DeployError {
        let settings = target.resolved.settings
        let verdict = await verdict(client: client, tempPath: settings.tempPath, id: id, wait: 30)
        // When ssh itself failed and the node cannot be asked, say so: its state is unknown.
        let unreachable = sshFailure.flatMap { failure in verdict.isUnknown ? failure : nil }
        let reason =
            unreachable.map { "\($0.message); \(verdict.summary)" }
            ?? "the activator ended without reporting the activation's outcome; \(verdict.summary)"
        events.emit(DeployEvent(.failed, target: target.ref, step: .activate, message: reason))
        return DeployError(
            target: target.ref,
            step: .activate,
            reason: reason,
            details: details,
            hint: unreachable?.hint
                ?? "The activation may have killed its parent or dropped the ssh session; its output is above.",
            failure: unreachable == nil ? .activationFailed(status: nil) : .unreachable,
            state: unreachable != nil || verdict.state == .activated ? .unknown : verdict.state,
            generation: unreachable == nil ? verdict.generation : nil
        )
    }

    /// Why a rollback changed nothing because the generation to go to does not exist, or `nil`.
    static func missingGeneration(_ reply: ActivatorReply, path: String, generation: Int?) -> String? {
        switch reply.outcome {
        case .noSuchGeneration:
            "\(path) has no generation \(generation.map(String.init) ?? "(none)"); nothing was changed"
        case .noPreviousGeneration: "\(path) has no generation before the current one; nothing was changed"
        default: nil
        }
    }

    func failure(of reply: ActivatorReply, target: DeployTarget, path: String) -> DeployError {
        let ref = target.ref
        let tempPath = target.resolved.settings.tempPath
        let status = reply.activationStatus.map { " (exit status \($0))" } ?? ""
        let timedOut = reply.timedOutAfter
        let what = timedOut.map { "activation timed out after \($0) s" } ?? "the activation failed\(status)"
        let generation = reply.generation
        let reason: String
        var hint: String?
        /// The one-shot's form of a hint that names `set` (see ``Face``).
        var oneShotHint: String?
        var failure =
            timedOut.map { DeployFailure.activationTimedOut(seconds: $0) }
            ?? .activationFailed(status: reply.activationStatus)
        var state = TargetState.failed
        switch reply.outcome {
        case .rolledBack:
            state = .rolledBack
            reason = "\(what); auto rollback restored the previous generation of \(path)"
            hint = "Fix the activation (its output is above) and deploy again."
        case .failed:
            reason = "\(what); autoRollback is off, so \(path) stays on the new generation"
            hint = "Run `rollback` to go back, or fix the activation and deploy again."
        case .dryActivationFailed:
            let dry =
                timedOut.map { "the dry activation timed out after \($0) s" } ?? "the dry activation failed\(status)"
            reason = "\(dry); nothing was changed"
        case .setFailed:
            failure = .setFailed
            reason = "nix-env could not set \(path); nothing was changed"
            hint = "Check that the profile user may write the profile (sudo, user settings)."
        case .rollbackFailed:
            state = .rollbackFailed
            reason =
                "\(what) and the rollback failed too; \(path) is on generation \(generation.map(String.init) ?? "(none)")"
            hint = "Run `generations` and `rollback --to GEN` by hand."
        case .tempPathUnwritable:
            failure = .other
            reason = "nothing was changed: the temp path \(tempPath) is full or not writable on the target"
            hint = "Free space there, or set tempPath to a directory the profile user can write (`set tempPath /tmp`)."
            oneShotHint = "Free space there, or give a directory the profile user can write (`--temp-path /tmp`)."
        case .tempPathUnsafe:
            failure = .other
            reason = "nothing was changed: the temp path \(tempPath) on the target is not safe for deploysh's files"
            hint = "See the activator's message above; remove what another user left there, or choose another tempPath."
        case .tempPathRelative:
            failure = .other
            reason = "nothing was changed: tempPath '\(tempPath)' is not an absolute path"
            hint = "Set tempPath to an absolute directory (`set tempPath /tmp`)."
            oneShotHint = "Give an absolute directory (`--temp-path /tmp`)."
        case .idInUse:
            failure = .other
            reason = "nothing was changed: a deployment with the same id already exists on the target"
            hint = "Deploy again (each deploy draws a new id)."
        case .lockFailed:
            failure = .other
            reason = "nothing was changed: the lock beside \(path) cannot be created"
            hint = "Check that the profile user may write the profile's directory (sudo, user settings)."
        case .watchdogFailed:
            failure = .other
            reason = "the magic-rollback watchdog did not start; nothing was changed"
        case nil where reply.lockHolder != nil:
            let holder = reply.lockHolder ?? "someone else"
            failure = .locked(holder: holder)
            reason = "the profile \(path) is being deployed by \(holder); nothing was changed"
            hint = "Wait for the other deployment to finish, then try again."
        default:
            // An answer this flow does not know: the node's state cannot be told from it.
            failure = .other
            state = .unknown
            reason =
                "the activator failed (\(reply.command.status), last result '\(reply.outcomeText ?? "none")'); "
                + "the state of \(path) is unknown"
            hint = "Run `status` and `generations` to see where the node is."
        }
        events.emit(DeployEvent(.failed, target: ref, step: .activate, message: reason))
        var error = DeployError(
            target: ref,
            step: .activate,
            reason: reason,
            details: Self.details(of: reply),
            hint: hint,
            failure: failure,
            state: state,
            generation: generation
        )
        error.oneShotHint = oneShotHint
        return error
    }
}
