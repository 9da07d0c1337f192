/// Copies a built profile's closure to its target with `nix copy --to ssh://`, or through a
/// binary cache (see `Copier+Cache.swift`).
///
/// Uses the target's shared ssh connection and exact `sshOpts`; substitutes on the
/// destination unless `fastConnection` is set, as deploy-rs does.
package struct Copier: Sendable {
    package var runner: any CommandRunner
    package var nix: NixCommand
    package var remote: RemoteSession
    package var events: any EventSink
    /// Where deploysh keeps its own binary-cache key (see ``CacheKey``); `nil`: none.
    package var stateDirectory: String?

    package init(
        runner: any CommandRunner,
        nix: NixCommand,
        remote: RemoteSession,
        events: any EventSink,
        stateDirectory: String? = nil
    ) {
        self.runner = runner
        self.nix = nix
        self.remote = remote
        self.events = events
        self.stateDirectory = stateDirectory
    }

    /// The `nix copy` invocation for `target` (pure: used by `copy` and shown in plans).
    package func invocation(for target: DeployTarget) throws -> Invocation {
        var copy = nix.copy(
            paths: [target.storePath],
            to: "ssh://" + target.resolved.sshDestination,
            substituteOnDestination: !target.resolved.settings.fastConnection,
            sshOptions: nil
        )
        copy.environment.merge(try remote.nixEnvironment(for: target.resolved)) { $1 }
        return copy
    }

    /// Copies `target`'s store path to its host.
    ///
    /// - Throws: ``DeployError`` with the failed command and its stderr tail.
    package func copy(_ target: DeployTarget) async throws {
        let ref = target.ref
        events.emit(DeployEvent(.started, target: ref, step: .copy, message: "to \(target.resolved.sshDestination)"))
        try await remote.connect(target.resolved)
        let result = try await runner.run(try invocation(for: target))
        guard result.succeeded else {
            if result.status == .cancelled { throw CancellationError() }
            events.emit(DeployEvent(.failed, target: ref, step: .copy))
            if Self.isOutOfSpace(result) {
                let host = target.resolved.hostname
                throw DeployError(
                    target: ref,
                    step: .copy,
                    reason: "the target is out of disk space (nix copy to \(target.resolved.sshDestination))",
                    details: CommandFailure(result, summary: "nix copy failed").details,
                    hint: "Free space on \(host): run `nix-store --gc` there (it also deletes the partial copy, "
                        + "an invalid path), or remove old generations first, then copy again.",
                    failure: .outOfSpace,
                    state: .failed
                )
            }
            throw DeployError(
                target: ref,
                step: .copy,
                failure: CommandFailure(
                    result,
                    summary: "nix copy to \(target.resolved.sshDestination) failed",
                    hint: SSHFailureCause.copyHint(result.standardErrorTail, profile: target.resolved)
                )
            )
        }
        events.emit(DeployEvent(.finished, target: ref, step: .copy))
    }

    /// Whether a failed copy ran out of space on the target: nix relays the target's ENOSPC
    /// ("No space left on device") on stderr; there is no exit code for it.
    static func isOutOfSpace(_ result: CommandResult) -> Bool {
        result.standardErrorTail.contains { $0.contains("No space left on device") }
    }
}
