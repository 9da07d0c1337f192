import Synchronization

/// Where a profile stands on its node right now, as the activator's `status` reports it.
///
/// It exists for `drift` and `undo`, which compare the node's truth with what the flake says
/// or what a session left, and must tell "pending confirm" apart from "running".
package struct ProfileStatus: Sendable, Hashable {
    /// What the profile points to (`nil`: the profile does not exist).
    package var storePath: String?
    package var generation: Int?
    /// The ids of activations waiting for their confirmation (a live canary and watchdog).
    package var pending: [String]

    package init(storePath: String?, generation: Int?, pending: [String]) {
        self.storePath = storePath
        self.generation = generation
        self.pending = pending
    }
}

/// One profile's status read, or why its node could not be read.
package struct ProfileStatusRead: Sendable {
    package var ref: ProfileRef
    package var result: Result<ProfileStatus, DeployError>

    package init(ref: ProfileRef, result: Result<ProfileStatus, DeployError>) {
        self.ref = ref
        self.result = result
    }
}

/// Reading the status of many profiles at once: nothing changes on any node.
extension ActivationFlow {
    /// The status of one profile: its store path, generation and pending activations.
    ///
    /// Runs the activator's `status` over ssh (connecting first).
    /// - Throws: ``DeployError`` or `CommandFailure` when the node cannot be reached.
    package func status(_ profile: ResolvedProfile) async throws -> ProfileStatus {
        try await remote.connect(profile)
        let client = try await client(for: profile)
        let path = try await profilePath(of: profile, client: client)
        let reply = try await client.run(.status(profile: path, tempPath: profile.settings.tempPath))
        let pending = reply.all(.pending).compactMap { $0.split(separator: " ").first.map(String.init) }
        return ProfileStatus(storePath: reply.currentPath, generation: reply.generation, pending: pending)
    }

    /// The status of `profiles`, nodes concurrently (at most `jobs` at once), each node's
    /// profiles in order; one result per profile, in the order given.
    ///
    /// A node that cannot be reached is each of its profiles' failed row, asked once.
    /// - Throws: `CancellationError` when cancelled before every node started.
    package func statuses(of profiles: [ResolvedProfile], jobs: Int) async throws -> [ProfileStatusRead] {
        var nodeOrder: [NodeKey] = []
        var byNode: [NodeKey: [ResolvedProfile]] = [:]
        for profile in profiles {
            let key = profile.ref.nodeKey
            if byNode[key] == nil { nodeOrder.append(key) }
            byNode[key, default: []].append(profile)
        }
        let reads = Mutex<[ProfileRef: ProfileStatusRead]>([:])
        let flow = self
        try await BoundedConcurrency.forEach(nodeOrder.map { byNode[$0] ?? [] }, limit: jobs) { node in
            var unreachable: [String: DeployError] = [:]
            for profile in node {
                let ref = profile.ref
                let result: Result<ProfileStatus, DeployError>
                if let failure = unreachable[profile.sshDestination] {
                    result = .failure(failure.on(ref))
                } else {
                    do {
                        result = .success(try await flow.status(profile))
                    } catch {
                        let failure = DeployError.from(error, target: ref, step: .generations)
                        if failure.failure == .unreachable { unreachable[profile.sshDestination] = failure }
                        result = .failure(failure)
                    }
                }
                reads.withLock { $0[ref] = ProfileStatusRead(ref: ref, result: result) }
            }
        }
        let done = reads.withLock { $0 }
        return profiles.compactMap { done[$0.ref] }
    }
}
