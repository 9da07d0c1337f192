import Synchronization

/// Push once, pull everywhere: every routed target's closure goes to its cache in one
/// `nix copy` per cache, then each node substitutes its own closure from the cache over the
/// session's connection, and falls back to a direct copy (saying so) when that fails.
extension Copier {
    /// Uploads the closures of `targets` (each with the route it takes), one `nix copy` per
    /// cache, signed with the deploy's key.
    ///
    /// - Returns: the public key the nodes check each cache's uploads with, by `pushTo`.
    /// - Throws: ``CacheError`` (a bad key, an unsupported store) or ``DeployError`` naming the
    ///   first target of a cache whose upload failed; nothing on any node changed then.
    package func upload(
        _ targets: [(target: DeployTarget, route: CacheRoute)],
        keyFile: String?,
        stateDirectory: String?
    ) async throws -> [String: String] {
        guard !targets.isEmpty else { return [:] }
        let key = try await CacheKey.resolve(file: keyFile, stateDirectory: stateDirectory, runner: runner)
        if key.isNew {
            events.emit(
                DeployEvent(
                    .warning,
                    target: nil,
                    step: .upload,
                    message: "made the cache key \(key.secretKeyFile); nodes that should trust it need "
                        + "trusted-public-keys = \(key.publicKey)"
                )
            )
        }
        var publicKeys: [String: String] = [:]
        var order: [String] = []
        var byCache: [String: [(target: DeployTarget, route: CacheRoute)]] = [:]
        for entry in targets {
            guard let pushTo = entry.route.pushTo else { continue }
            if byCache[pushTo] == nil { order.append(pushTo) }
            byCache[pushTo, default: []].append(entry)
        }
        for pushTo in order {
            let entries = byCache[pushTo] ?? []
            try await upload(entries.map(\.target), to: pushTo, key: key)
            publicKeys[pushTo] = key.publicKey
        }
        return publicKeys
    }

    private func upload(_ targets: [DeployTarget], to pushTo: String, key: CacheKey) async throws {
        let paths = Array(Set(targets.map(\.storePath))).sorted()
        let shown = StoreURL.display(pushTo)
        let size = try? await closureSize(of: paths)
        let sizeText = size.map { " (\($0.paths) paths, \(Self.mebibytes($0.bytes)))" } ?? ""
        events.emit(DeployEvent(.started, target: nil, step: .upload, message: "to \(shown)\(sizeText)"))
        if !StoreURL.isBinaryCache(pushTo) {
            let signed = try await runner.run(nix.sign(paths: paths, keyFile: key.secretKeyFile))
            guard signed.succeeded else { throw uploadFailure(signed, targets: targets, pushTo: pushTo) }
        }
        let result = try await runner.run(
            nix.upload(paths: paths, to: StoreURL.uploadURL(pushTo, secretKeyFile: key.secretKeyFile))
        )
        guard result.succeeded else {
            if result.status == .cancelled { throw CancellationError() }
            events.emit(DeployEvent(.failed, target: nil, step: .upload, message: "to \(shown)"))
            if result.standardErrorTail.contains(where: { $0.contains("don't know how to open Nix store") }) {
                throw CacheError.unsupportedStore(url: pushTo, nixVersion: nix.version.description)
            }
            throw uploadFailure(result, targets: targets, pushTo: pushTo)
        }
        events.emit(DeployEvent(.finished, target: nil, step: .upload, message: "to \(shown)\(sizeText)"))
    }

    private func uploadFailure(_ result: CommandResult, targets: [DeployTarget], pushTo: String) -> DeployError {
        DeployError(
            target: targets[0].ref,
            step: .upload,
            failure: CommandFailure(
                result,
                summary: "uploading to the cache \(StoreURL.display(pushTo)) failed"
                    + (targets.count > 1 ? " (the closures of \(targets.count) targets)" : ""),
                hint: "Check that the deployer can write to pushTo (a cache server that accepts PUT, a writable "
                    + "directory), or deploy without --push-to; nothing was copied or activated."
            )
        )
    }

    /// The number of paths and NAR bytes in the closures of `paths` (local store).
    private func closureSize(of paths: [String]) async throws -> (paths: Int, bytes: Int)? {
        let result = try await runner.run(nix.pathInfo(paths: paths, recursive: true))
        guard result.succeeded, let json = try? JSONValue.parse(result.standardOutput) else { return nil }
        let entries: [JSONValue] = json.arrayValue ?? json.objectValue.map { Array($0.map(\.value)) } ?? []
        let sizes = entries.compactMap { $0["narSize"]?.intValue }
        return (entries.count, sizes.reduce(0, +))
    }

    static func mebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MiB"
    }

    /// Gets `target`'s closure onto its node from the cache, or directly when the pull fails and
    /// the route allows a fallback.
    ///
    /// - Returns: how the closure arrived.
    /// - Throws: ``DeployError`` when the pull failed without a fallback, or the direct copy failed.
    package func copy(_ target: DeployTarget, via route: CacheRoute, publicKey: String?) async throws -> CopyWay {
        let ref = target.ref
        let shown = StoreURL.display(route.pullFrom)
        events.emit(DeployEvent(.started, target: ref, step: .copy, message: "pull from \(shown)"))
        try await remote.connect(target.resolved)
        let words = NixCommand.remoteRealiseWords(
            path: target.storePath,
            substituter: route.pullFrom,
            publicKey: route.publicKey ?? publicKey
        )
        let events = events
        let fetched = FetchCount()
        let result = try await runner.run(remote.ssh(for: target.resolved).run(words)) { line in
            fetched.take(line)
        }
        if result.succeeded {
            let detail = fetched.summary.map { ", \($0)" } ?? ""
            events.emit(DeployEvent(.finished, target: ref, step: .copy, message: "pulled from \(shown)\(detail)"))
            return .cache(route.pullFrom)
        }
        if result.status == .cancelled { throw CancellationError() }
        let reason = PullFailure.reason(result, substituter: shown, user: target.resolved.settings.sshUser)
        guard route.fallback else {
            events.emit(DeployEvent(.failed, target: ref, step: .copy, message: "pull from \(shown)"))
            throw DeployError(
                target: ref,
                step: .copy,
                reason: "pulling from the cache \(shown) failed on \(target.resolved.hostname): \(reason.message)",
                details: CommandFailure(result, summary: "nix-store --realise failed").details,
                hint: reason.hint + " Or allow the direct copy (drop --no-fallback)."
            )
        }
        events.emit(
            DeployEvent(
                .warning,
                target: ref,
                step: .copy,
                message: "pull from \(shown) failed (\(reason.message)); copying directly instead"
            )
        )
        try await copy(target)
        return .fallback(route.pullFrom, reason: reason.message)
    }
}

/// Counts what a node's `nix-store --realise` fetched, from the lines it prints.
private final class FetchCount: Sendable {
    private let state = Synchronization.Mutex<(paths: Int, download: String?)>((0, nil))

    func take(_ line: String) {
        state.withLock { state in
            if line.hasPrefix("copying path ") { state.paths += 1 }
            // "this path will be fetched (0.95 MiB download, 0.95 MiB unpacked):"
            if line.contains("will be fetched ("), let open = line.firstIndex(of: "(") {
                let inside = line[line.index(after: open)...].prefix { $0 != "," && $0 != ")" }
                state.download = String(inside)
            }
        }
    }

    var summary: String? {
        state.withLock { state in
            guard state.paths > 0 else { return "nothing to fetch" }
            return "\(state.paths) paths" + (state.download.map { ", \($0)" } ?? "")
        }
    }
}
