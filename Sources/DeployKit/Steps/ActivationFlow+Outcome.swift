/// How ``ActivationFlow`` turns what the activator printed into a typed ``DeployError``.
///
/// Kept apart from the flow itself: every branch here maps the activator's machine lines
/// (`result`, `generation`, `timeout`, `locked`) to a ``DeployFailure`` and a ``TargetState``,
/// never the other way round from message text.
extension ActivationFlow {
    /// The failed command line and the tail of its stderr, for error details.
    static func details(of output: ActivatorOutput) -> [String] {
        ["$ " + output.result.invocation.commandLine] + output.result.standardErrorTail.suffix(12)
    }

    /// What the watchdog recorded for deployment `id`, waiting up to `wait` seconds for its
    /// verdict; `.unknown` when the node cannot be asked.
    func verdict(client: ActivatorClient, tempPath: String, id: String, wait: Int) async -> ActivatorVerdict {
        do {
            return ActivatorVerdict(try await client.run(["result", tempPath, id, String(wait)]))
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
    static func missingGeneration(_ output: ActivatorOutput, path: String, generation: Int?) -> String? {
        switch output["result"] {
        case "no-such-generation":
            "\(path) has no generation \(generation.map(String.init) ?? "(none)"); nothing was changed"
        case "no-previous-generation": "\(path) has no generation before the current one; nothing was changed"
        default: nil
        }
    }

    func failure(of output: ActivatorOutput, target: DeployTarget, path: String) -> DeployError {
        let ref = target.ref
        let status = output["status"].map { " (exit status \($0))" } ?? ""
        let timedOut = output["timeout"].flatMap { Int($0) }
        let what = timedOut.map { "activation timed out after \($0) s" } ?? "the activation failed\(status)"
        let generation = output["generation"].flatMap { Int($0) }
        let reason: String
        var hint: String?
        var failure =
            timedOut.map { DeployFailure.activationTimedOut(seconds: $0) }
            ?? .activationFailed(status: output["status"].flatMap { Int($0) })
        var state = TargetState.failed
        switch output["result"] {
        case "rolled-back":
            state = .rolledBack
            reason = "\(what); auto rollback restored the previous generation of \(path)"
            hint = "Fix the activation (its output is above) and deploy again."
        case "failed":
            reason = "\(what); autoRollback is off, so \(path) stays on the new generation"
            hint = "Run `rollback` to go back, or fix the activation and deploy again."
        case "dry-activation-failed":
            let dry =
                timedOut.map { "the dry activation timed out after \($0) s" } ?? "the dry activation failed\(status)"
            reason = "\(dry); nothing was changed"
        case "set-failed":
            failure = .setFailed
            reason = "nix-env could not set \(path); nothing was changed"
            hint = "Check that the profile user may write the profile (sudo, user settings)."
        case "rollback-failed":
            state = .rollbackFailed
            reason =
                "\(what) and the rollback failed too; \(path) is on generation \(generation.map(String.init) ?? "(none)")"
            hint = "Run `generations` and `rollback --to GEN` by hand."
        case "temp-path-unwritable":
            failure = .other
            reason =
                "the temp path \(target.resolved.settings.tempPath) is not writable on the target; nothing was changed"
            hint = "Set tempPath to a directory the profile user can write (`set tempPath /tmp`)."
        case "watchdog-failed":
            failure = .other
            reason = "the magic-rollback watchdog did not start; nothing was changed"
        case nil where output["locked"] != nil:
            failure = .locked(holder: output["locked"] ?? "someone else")
            reason =
                "the profile \(path) is being deployed by \(output["locked"] ?? "someone else"); nothing was changed"
            hint = "Wait for the other deployment to finish, then try again."
        default:
            // An answer this flow does not know: the node's state cannot be told from it.
            failure = .other
            state = .unknown
            reason =
                "the activator failed (\(output.result.status), last result '\(output["result"] ?? "none")'); "
                + "the state of \(path) is unknown"
            hint = "Run `status` and `generations` to see where the node is."
        }
        events.emit(DeployEvent(.failed, target: ref, step: .activate, message: reason))
        return DeployError(
            target: ref,
            step: .activate,
            reason: reason,
            details: Self.details(of: output),
            hint: hint,
            failure: failure,
            state: state,
            generation: generation
        )
    }
}
