/// Computes the closure difference between a target's current profile and the new store path.
package struct DiffFlow: Sendable {
    package var runner: any CommandRunner
    package var nix: NixCommand
    package var activation: ActivationFlow

    package init(runner: any CommandRunner, nix: NixCommand, activation: ActivationFlow) {
        self.runner = runner
        self.nix = nix
        self.activation = activation
    }

    /// Diffs `target`'s current profile (on the host) against its new path.
    ///
    /// - Parameter builtOnTarget: The new path was built on the host (`build --remote`), so
    ///   its closure is read there; otherwise it is read from the local store.
    package func diff(_ target: DeployTarget, builtOnTarget: Bool = false) async throws -> ClosureDiff {
        let profile = target.resolved
        let ref = target.ref
        try await activation.remote.connect(profile)
        let client = try await activation.client(for: profile)
        let path = try await activation.profilePath(of: profile, client: client)
        let current = try await client.run(.status(profile: path, tempPath: profile.settings.tempPath)).currentPath
        let new = try await runner.run(
            builtOnTarget
                ? client.ssh.run(NixCommand.remoteClosureWords(of: target.storePath))
                : nix.closure(of: target.storePath)
        )
        guard new.succeeded else {
            throw DeployError(
                target: ref,
                step: .diff,
                failure: CommandFailure(
                    new,
                    summary: builtOnTarget
                        ? "the new store path is not built on \(profile.hostname)"
                        : "the new store path is not built locally",
                    hint: builtOnTarget ? "Run `build --remote` first." : "Run `build` first."
                )
            )
        }
        var before: [String] = []
        if let current {
            let remote = try await runner.run(client.ssh.run(NixCommand.remoteClosureWords(of: current)))
            guard remote.succeeded else {
                throw DeployError(
                    target: ref,
                    step: .diff,
                    failure: CommandFailure(remote, summary: "cannot read the current closure on \(profile.hostname)")
                )
            }
            before = remote.standardOutput.split(separator: "\n").map(String.init)
        }
        let after = new.standardOutput.split(separator: "\n").map(String.init)
        return ClosureDiff(from: current, to: target.storePath, before: before, after: after)
    }
}
