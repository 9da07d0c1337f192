/// Why `nix-env --set` failed, when the cause is the usual one: the closure was never copied.
///
/// The activator reports only that `nix-env --set` failed; activating before `copy` is the
/// common reason, and its hint (copy first) differs from the one for a profile the user may
/// not write. So after a failed set, the target's store is asked, by exit status, whether the
/// closure is there.
extension ActivationFlow {
    /// The error for an activation whose `nix-env --set` failed because `target`'s store path is
    /// missing on its host, or `nil` when the path is there or the question could not be answered.
    ///
    /// Runs `nix-store --check-validity PATH` on the host (exit 1: not valid).
    func missingClosureError(for target: DeployTarget, client: ActivatorClient) async -> DeployError? {
        let invocation = client.ssh.run(["nix-store", "--check-validity", target.storePath])
        guard let result = try? await runner.run(invocation), result.status == .exited(1) else { return nil }
        let reason = "\(target.storePath) is not in the store of \(target.resolved.hostname); nothing was changed"
        events.emit(DeployEvent(.failed, target: target.ref, step: .activate, message: reason))
        return DeployError(
            target: target.ref,
            step: .activate,
            reason: reason,
            details: ["$ " + invocation.commandLine] + result.standardErrorTail.suffix(4),
            hint: "Run `copy` first (or `build --remote`, which builds it there), then `activate` again.",
            failure: .setFailed
        )
    }
}
