/// Builds profiles: locally with ONE `nix build` for the whole selection, or on the target.
///
/// A remote build copies the derivation closure to the target (`nix copy --derivation
/// --to ssh-ng://`) and builds it there (`--eval-store auto --store ssh-ng://`), so the
/// output exists on the node and never locally.
package struct Builder: Sendable {
    package var runner: any CommandRunner
    package var nix: NixCommand
    package var remote: RemoteSession
    package var events: any EventSink
    /// Where local builds leave a result link per target, `DIR/NODE/PROFILE` (deploy-rs's
    /// `--keep-result`); `nil` leaves none.
    package var resultDirectory: String?

    package init(
        runner: any CommandRunner,
        nix: NixCommand,
        remote: RemoteSession,
        events: any EventSink,
        resultDirectory: String? = nil
    ) {
        self.runner = runner
        self.nix = nix
        self.remote = remote
        self.events = events
        self.resultDirectory = resultDirectory
    }

    /// Builds every target locally in one nix invocation.
    ///
    /// - Throws: ``DeployError`` naming the targets when `nix build` exits non-zero.
    package func buildLocally(_ targets: [DeployTarget]) async throws {
        let derivations = Array(Set(targets.compactMap(\.derivationPath))).sorted()
        let plain = targets.filter { $0.derivationPath == nil }
        for target in targets { events.emit(DeployEvent(.started, target: target.ref, step: .build, message: "local")) }
        if !derivations.isEmpty {
            let events = events
            let result = try await runner.run(nix.build(derivations: derivations)) { line in
                events.emit(DeployEvent(.output, target: nil, step: .build, message: line))
            }
            guard result.succeeded else {
                if result.status == .cancelled { throw CancellationError() }
                let failure = CommandFailure(
                    result,
                    summary: "nix build failed",
                    hint: "Fix the build error above; nothing was copied or activated."
                )
                let first = targets[0].ref
                for target in targets { events.emit(DeployEvent(.failed, target: target.ref, step: .build)) }
                throw DeployError(
                    target: first,
                    step: .build,
                    reason: failure.message
                        + (targets.count > 1 ? " (building \(targets.count) profiles at once)" : ""),
                    details: failure.details,
                    hint: failure.hint
                )
            }
        }
        if !plain.isEmpty {
            let result = try await runner.run(nix.pathInfo(paths: plain.map(\.storePath)))
            // `nix path-info --json` exits 0 for a missing path (Nix 2.8 to 2.26): read its JSON.
            let missing = result.succeeded ? Self.missingPaths(inPathInfo: result.standardOutput) : nil
            if !result.succeeded || missing.map({ !$0.isEmpty }) ?? true {
                let first = plain.first { missing?.contains($0.storePath) ?? true } ?? plain[0]
                let failure = CommandFailure(
                    result,
                    summary: "the profile's path \(first.storePath) is not a derivation and not in the local store",
                    hint: "Build the store path first, or make the profile's `path` a derivation."
                )
                throw DeployError(
                    target: first.ref,
                    step: .build,
                    reason: result.succeeded ? failure.summary : failure.message,
                    details: failure.details,
                    hint: failure.hint
                )
            }
        }
        if let resultDirectory { try await keepResults(targets, in: resultDirectory) }
        for target in targets {
            events.emit(DeployEvent(.finished, target: target.ref, step: .build, message: target.storePath))
        }
    }

    /// Links `DIR/NODE/PROFILE` to each built path, so a garbage collection keeps it.
    private func keepResults(_ targets: [DeployTarget], in directory: String) async throws {
        for target in targets {
            let link = [directory, Self.linkName(target.ref.node), Self.linkName(target.ref.profile)]
                .joined(separator: "/")
            let result = try await runner.run(nix.resultLink(link, to: target.storePath))
            guard result.succeeded else {
                throw DeployError(
                    target: target.ref,
                    step: .build,
                    failure: CommandFailure(
                        result,
                        summary: "cannot keep the result link \(link)",
                        hint: "Check that the result path is writable, or deploy without --keep-result."
                    )
                )
            }
        }
    }

    /// A name as one path component: `/` cannot escape the result directory, nor can `.` or `..`.
    static func linkName(_ name: String) -> String {
        let safe = name.split(separator: "/", omittingEmptySubsequences: false).joined(separator: "%2F")
        return safe == "." || safe == ".." ? "%2E" + safe.dropFirst() : safe
    }

    /// Builds one target on its own host.
    package func buildRemotely(_ target: DeployTarget) async throws {
        let ref = target.ref
        guard let derivation = target.derivationPath else {
            throw DeployError(
                target: ref,
                step: .build,
                reason: "a remote build needs a derivation, and the profile's path is a plain store path",
                hint: "Build it locally (`build --local`) and `copy` it."
            )
        }
        events.emit(DeployEvent(.started, target: ref, step: .build, message: "on \(target.resolved.hostname)"))
        try await remote.connect(target.resolved)
        var environment = try remote.nixEnvironment(for: target.resolved)
        let store = "ssh-ng://" + target.resolved.sshDestination
        var copy = nix.copy(
            paths: [derivation],
            to: store,
            derivation: true,
            substituteOnDestination: !target.resolved.settings.fastConnection,
            sshOptions: nil
        )
        copy.environment.merge(environment) { $1 }
        let copied = try await runner.run(copy)
        guard copied.succeeded else {
            throw DeployError(
                target: ref,
                step: .build,
                failure: CommandFailure(copied, summary: "copying the derivation to \(store) failed")
            )
        }
        var build = nix.build(derivations: [derivation], store: store, evalStore: "auto")
        environment.merge(build.environment) { $1 }
        build.environment = environment
        let events = events
        let built = try await runner.run(build) { line in
            events.emit(DeployEvent(.output, target: ref, step: .build, message: line))
        }
        guard built.succeeded else {
            if built.status == .cancelled { throw CancellationError() }
            throw DeployError(
                target: ref,
                step: .build,
                failure: CommandFailure(built, summary: "building on \(store) failed")
            )
        }
        events.emit(DeployEvent(.finished, target: ref, step: .build, message: target.storePath))
    }
}

extension Builder {
    /// The store paths that `nix path-info --json` reports as missing, or `nil` when its output
    /// cannot be read.
    ///
    /// Nix 2.8 prints `[{"path": P, "valid": false}]` for a missing path; newer versions print
    /// `{P: null}`. Both exit 0.
    static func missingPaths(inPathInfo output: String) -> Set<String>? {
        guard let json = try? JSONValue.parse(output) else { return nil }
        if let entries = json.arrayValue {
            return Set(entries.compactMap { $0["valid"]?.boolValue == false ? $0["path"]?.stringValue : nil })
        }
        if let members = json.objectValue {
            return Set(members.compactMap { $0.value == .null ? $0.key : nil })
        }
        return nil
    }
}
