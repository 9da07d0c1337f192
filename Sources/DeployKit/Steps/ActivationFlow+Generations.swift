import Synchronization

/// Reading generations: of one profile, and of many at once (a read changes nothing, so it
/// needs no plan, but it shares the executor's concurrency bound and reports every target).
extension ActivationFlow {
    /// The generations of a profile on its target, current one marked.
    package func generations(_ profile: ResolvedProfile) async throws -> [Generation] {
        try await remote.connect(profile)
        let client = try await client(for: profile)
        let path = try await profilePath(of: profile, client: client)
        let reply = try await client.run(.generations(profile: path))
        return reply.all(.generation).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            guard parts.count >= 3, let number = Int(parts[0]) else { return nil }
            return Generation(
                number: number,
                storePath: parts[1],
                isCurrent: parts[2] == "1",
                date: parts.count > 3 ? parts[3] : ""
            )
        }
    }

    /// The generations of `profiles`, nodes concurrently (at most `jobs` at once), each node's
    /// profiles in order; one result per profile, in the order given.
    ///
    /// Runs the activator's `generations` over ssh for each profile. A failure is that
    /// profile's row; when a host cannot be reached, its other profiles with the same ssh
    /// destination get the same error without trying again.
    /// - Throws: `CancellationError` when cancelled before every node started.
    package func generations(of profiles: [ResolvedProfile], jobs: Int) async throws -> [GenerationsRead] {
        var nodeOrder: [ExactName] = []
        var byNode: [ExactName: [ResolvedProfile]] = [:]
        for profile in profiles {
            let name = ExactName(profile.node)
            if byNode[name] == nil { nodeOrder.append(name) }
            byNode[name, default: []].append(profile)
        }
        let reads = Mutex<[ProfileRef: GenerationsRead]>([:])
        let flow = self
        try await BoundedConcurrency.forEach(nodeOrder.map { byNode[$0] ?? [] }, limit: jobs) { node in
            var unreachable: [String: DeployError] = [:]
            for profile in node {
                let ref = profile.ref
                let result: Result<[Generation], DeployError>
                if let failure = unreachable[profile.sshDestination] {
                    result = .failure(failure.on(ref))
                } else {
                    do {
                        result = .success(try await flow.generations(profile))
                    } catch {
                        let failure = DeployError.from(error, target: ref, step: .generations)
                        if failure.failure == .unreachable { unreachable[profile.sshDestination] = failure }
                        result = .failure(failure)
                    }
                }
                reads.withLock { $0[ref] = GenerationsRead(ref: ref, result: result) }
            }
        }
        let done = reads.withLock { $0 }
        return profiles.compactMap { done[$0.ref] }
    }
}
