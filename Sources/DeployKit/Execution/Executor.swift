/// Runs any ``DeployPlan``: all local builds in one `nix build`, remote builds per node, then
/// nodes concurrently (bounded by `jobs`), each node's profiles in order.
///
/// It keeps a ``TargetRecord`` per target and ends every run with a ``DeploySummary``:
/// returned when every target ended as asked, else thrown inside ``DeployRunError``.
/// When a target fails (without `keepGoing`), no new activation starts, and every target this
/// run activated goes back to the generation it was on before the run, in reverse activation
/// order, each attempted even if another fails (see `Executor+Rollback.swift`).
package struct Executor: Sendable {
    package var builder: Builder
    package var copier: Copier
    package var activation: ActivationFlow
    package var remote: RemoteSession
    /// Told the generation each target is on before this run changes it (`nil`: none), as
    /// soon as it is read (the session transcript records it, for a deployer killed mid-run).
    package var generationObserver: (@Sendable (DeployTarget, Int?) -> Void)?

    package init(builder: Builder, copier: Copier, activation: ActivationFlow, remote: RemoteSession) {
        self.builder = builder
        self.copier = copier
        self.activation = activation
        self.remote = remote
    }

    /// Runs `plan` to its end.
    ///
    /// - Returns: the summary, when every target ended as the options ask.
    /// - Throws: ``DeployRunError`` with the summary of every target otherwise (also after
    ///   Ctrl-C, once this run's activations are rolled back).
    package func run(_ plan: DeployPlan) async throws -> DeploySummary {
        var progress = try await start(plan)
        while case .paused(let paused) = progress { progress = try await resume(paused) }
        guard case .finished(let summary) = progress else { throw InternalError("a rollout neither paused nor ended") }
        return summary
    }

    /// Runs `plan` up to its end, or up to a batch of `rollout.pauseAfter` (done and healthy,
    /// not the last): then it returns ``RolloutProgress/paused(_:)``, for ``resume(_:)`` or
    /// ``abort(_:)``.
    ///
    /// - Throws: ``DeployRunError`` with the summary of every target, as ``run(_:)``.
    package func start(_ plan: DeployPlan) async throws -> RolloutProgress {
        let record = FleetRecord(plan)
        var cause: (any Error)?
        do {
            try await build(plan, record: record)
            try await upload(plan, record: record)
            if let batch = await deployNodes(plan, record: record, from: 0) {
                return .paused(PausedRollout(plan: plan, record: record, batch: batch))
            }
        } catch {
            cause = error
        }
        return .finished(try await finish(plan, record: record, cause: cause))
    }

    /// Runs the batches after the one `paused` stopped after, with the same plan, options,
    /// budget and record (the nodes already done count against the budget).
    package func resume(_ paused: PausedRollout) async throws -> RolloutProgress {
        var cause: (any Error)?
        if Task.isCancelled {
            cause = CancellationError()
        } else if let batch = await deployNodes(paused.plan, record: paused.record, from: paused.batch + 1) {
            return .paused(PausedRollout(plan: paused.plan, record: paused.record, batch: batch))
        }
        return .finished(try await finish(paused.plan, record: paused.record, cause: cause))
    }

    /// Ends a paused rollout without its remaining batches: the rollout's on-failure rule
    /// applies to what this deploy activated (`rollback-all` and `rollback-batch` return them to
    /// their generation before the deploy, in reverse order; `halt` leaves them).
    ///
    /// - Throws: ``DeployRunError`` with the summary (the deploy did not end as asked).
    package func abort(_ paused: PausedRollout) async throws -> Never {
        let plan = paused.plan
        let record = paused.record
        record.stop()
        for batch in plan.batches.dropFirst(paused.batch + 1) {
            for node in batch {
                for target in node.targets { record.update(target.ref) { $0.batch = paused.batch + 1 } }
                notStarted(node.targets, record: record, because: nil)
            }
        }
        if plan.rollout.onFailure != .halt {
            let executor = self
            await Task { await executor.settle(plan, record: record, rollBack: true) }.value
        }
        record.finish(activates: plan.activates)
        let summary = record.summary(cancelled: false)
        throw DeployRunError(summary: summary, cause: RolloutError.aborted(afterBatch: paused.batch))
    }

    /// Settles a run that ended (rolls back after a failure as the options ask) and returns its
    /// summary, or throws it inside ``DeployRunError``.
    private func finish(_ plan: DeployPlan, record: FleetRecord, cause: (any Error)?) async throws -> DeploySummary {
        let cancelled = Task.isCancelled || cause is CancellationError
        let failed =
            cancelled
            || record.summary(cancelled: false).targets.contains { $0.error != nil && $0.state != .skipped }
        if plan.rollout.isStaged && !cancelled {
            // The rollout applied its on-failure rule as the budget ran out; only lost targets
            // are read again here.
            if failed {
                let executor = self
                await Task { await executor.settle(plan, record: record, rollBack: false) }.value
            }
        } else if failed {
            // A fresh task does not inherit the cancellation of this one: after Ctrl-C the
            // rollback must still run to its end (a second Ctrl-C cancels only the command's task).
            let executor = self
            let rollBack = plan.options.rollbackSucceeded && (!plan.options.keepGoing || cancelled)
            await Task { await executor.settle(plan, record: record, rollBack: rollBack) }.value
        }
        record.finish(activates: plan.activates)
        let summary = record.summary(cancelled: cancelled)
        if summary.succeeded(options: plan.options) { return summary }
        let first: any Error =
            cancelled
            ? CancellationError() : (summary.firstError ?? cause ?? InternalError("a deploy failed without an error"))
        throw DeployRunError(summary: summary, cause: first)
    }

    // MARK: - Builds

    /// One `nix build` for every local build, then remote builds (bounded by `jobs`).
    private func build(_ plan: DeployPlan, record: FleetRecord) async throws {
        let local = plan.localBuilds
        if !local.isEmpty {
            do {
                try await builder.buildLocally(local)
                for target in local { record.update(target.ref) { $0.state = .built } }
            } catch let error as DeployError {
                for target in local {
                    record.update(target.ref) { row in
                        row.state = .failed
                        row.error = error.on(target.ref)
                    }
                }
                record.stop()
                if !plan.options.keepGoing { return }
            }
        }
        let remote = plan.remoteBuilds
        try await BoundedConcurrency.forEach(remote, limit: plan.options.jobs) { target in
            if record.isStopped && !plan.options.keepGoing { return }
            do {
                try await builder.buildRemotely(target)
                record.update(target.ref) { $0.state = .built }
            } catch is CancellationError {
                return
            } catch {
                record.update(target.ref) { row in
                    row.state = .failed
                    row.error = DeployError.from(error, target: target.ref, step: .build)
                }
                if !plan.options.keepGoing { record.stop() }
            }
        }
        try Task.checkCancellation()
    }

    // MARK: - Binary cache

    /// Uploads every routed target's closure to its cache, once (see `Copier+Cache.swift`); a
    /// failed upload fails those targets before anything on a node changes.
    private func upload(_ plan: DeployPlan, record: FleetRecord) async throws {
        if record.isStopped && !plan.options.keepGoing { return }
        let routed = plan.targets.compactMap { target -> (target: DeployTarget, route: CacheRoute)? in
            guard target.steps.contains(.copy), record.record(target.ref)?.error == nil,
                let route = plan.options.cache.route(for: target.target.resolved), route.pushTo != nil
            else { return nil }
            return (target.target, route)
        }
        guard !routed.isEmpty else { return }
        do {
            record.uploaded(
                try await copier.upload(
                    routed,
                    keyFile: plan.options.cache.keyFile,
                    stateDirectory: copier.stateDirectory
                )
            )
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            for (target, _) in routed {
                record.update(target.ref) { row in
                    row.state = .failed
                    row.error = DeployError.from(error, target: target.ref, step: .upload)
                }
            }
            record.stop()
        }
    }

    /// Copies one target: through its cache when it has a route this run uploaded to, else directly.
    private func copy(_ target: DeployPlan.Target, options: DeployOptions, record: FleetRecord) async throws -> CopyWay
    {
        guard let route = options.cache.route(for: target.target.resolved) else {
            try await copier.copy(target.target)
            return .direct
        }
        guard let pushTo = route.pushTo else {
            // A cache something else fills: the node pulls with the key the route names, if any.
            return try await copier.copy(target.target, via: route, publicKey: nil)
        }
        guard let key = record.cacheKey(pushTo) else {
            throw DeployError(
                target: target.ref,
                step: .copy,
                reason: "its closure was not uploaded to the cache \(StoreURL.display(pushTo))",
                hint: "Deploy it again; the upload runs before the copies."
            )
        }
        return try await copier.copy(target.target, via: route, publicKey: key)
    }

    // MARK: - Nodes

    /// Deploys nodes concurrently, at most `jobs` at a time; in a staged rollout, batch by batch.
    /// Returns the batch it paused after, if any.
    private func deployNodes(_ plan: DeployPlan, record: FleetRecord, from first: Int) async -> Int? {
        guard plan.rollout.isStaged else {
            try? await BoundedConcurrency.forEach(plan.nodes, limit: plan.options.jobs) { node in
                await deploy(node, options: plan.options, record: record, budget: nil)
            }
            return nil
        }
        return await deployBatches(plan, record: record, from: first)
    }

    /// A staged rollout: each batch's nodes concurrently (bounded by `jobs`); the next batch
    /// starts only when every node of this one is confirmed (and healthy) or failed. When the
    /// failure budget is exceeded, no new activation starts and the on-failure rule applies.
    ///
    /// Starts at batch `first`; returns the batch it paused after (`rollout.pauseAfter`: done,
    /// within the budget, and not the last), or `nil` when the rollout ended.
    private func deployBatches(_ plan: DeployPlan, record: FleetRecord, from first: Int) async -> Int? {
        let batches = plan.batches
        let total = plan.nodes.count
        let budget = (plan.rollout.maxFailures, total)
        let connections = preconnect(batches, from: first, jobs: plan.options.jobs, record: record)
        var pausedAfter: Int?
        defer { if pausedAfter == nil { connections.cancel() } }
        for (index, batch) in batches.enumerated() where index >= first {
            let names = batch.map(\.name)
            for node in batch {
                for target in node.targets { record.update(target.ref) { $0.batch = index } }
            }
            if Task.isCancelled || record.isStopped {
                for node in batch { notStarted(node.targets, record: record, because: nil) }
                continue
            }
            activation.events.emit(
                DeployEvent(batch: .init(index: index, count: batches.count, nodes: names, status: "started"))
            )
            try? await BoundedConcurrency.forEach(batch, limit: plan.options.jobs) { node in
                await deploy(node, options: plan.options, record: record, budget: budget)
            }
            if Task.isCancelled { return nil }
            if plan.rollout.maxFailures.isExceeded(failures: record.failedNodeCount, of: total) {
                record.stop()
                activation.events.emit(
                    DeployEvent(batch: .init(index: index, count: batches.count, nodes: names, status: "failed"))
                )
                switch plan.rollout.onFailure {
                case .halt:
                    break
                case .rollbackAll:
                    let executor = self
                    await Task { await executor.settle(plan, record: record, rollBack: true) }.value
                case .rollbackBatch:
                    let refs = Set(batch.flatMap { $0.targets.map(\.ref) })
                    let executor = self
                    await Task { await executor.settle(plan, record: record, rollBack: true, only: refs) }.value
                }
                continue
            }
            activation.events.emit(
                DeployEvent(batch: .init(index: index, count: batches.count, nodes: names, status: "done"))
            )
            if plan.rollout.pauseAfter.contains(index), index < batches.count - 1, !record.isStopped {
                activation.events.emit(
                    DeployEvent(batch: .init(index: index, count: batches.count, nodes: names, status: "paused"))
                )
                // The later batches' connections stay open (or keep opening) for `resume`.
                pausedAfter = index
                for (later, waiting) in batches.enumerated() where later > index {
                    record.wait(waiting.flatMap { $0.targets.map(\.ref) }, batch: later)
                }
                return index
            }
        }
        return nil
    }

    /// Opens the ssh connections of the batches from `first` on, in the background, batch by
    /// batch (the current batch's first, shared with its nodes), so that a batch finds its
    /// connections open when it starts. Only connections: nothing on a node runs before its
    /// batch starts. A connection that fails here fails nothing; the node's own `connect`, in
    /// its batch, tries again and reports the error.
    ///
    /// - Returns: the task opening them; cancelled with the calling task.
    private func preconnect(
        _ batches: [[DeployPlan.Node]],
        from first: Int,
        jobs: Int,
        record: FleetRecord
    ) -> Task<Void, Never> {
        let profiles = batches.dropFirst(first).map { batch in
            batch.compactMap { node -> ResolvedProfile? in
                let targets = node.targets
                guard !targets.contains(where: \.followsActivation),
                    targets.contains(where: { $0.steps.contains(.copy) || $0.activates }),
                    targets.allSatisfy({ record.record($0.ref)?.error == nil })
                else { return nil }
                return targets.first?.target.resolved
            }
        }
        let remote = remote
        let task = Task {
            for batch in profiles {
                // At most `jobs` at a time, as the batch itself would connect.
                try? await BoundedConcurrency.forEach(batch, limit: jobs) { profile in
                    try? await remote.connect(profile)
                }
                if Task.isCancelled { return }
            }
        }
        return task
    }

    /// Records that `node` failed: without a budget, stops the deploy (unless `keepGoing`);
    /// with one, stops it only once the budget is exceeded.
    private func nodeFailed(
        _ node: String,
        options: DeployOptions,
        record: FleetRecord,
        budget: (Rollout.FailureBudget, Int)?
    ) {
        let failures = record.nodeFailed(node)
        if let (limit, total) = budget {
            if limit.isExceeded(failures: failures, of: total) { record.stop() }
        } else if !options.keepGoing {
            record.stop()
        }
    }

    /// One node: connect, read each target's generation, copy, then activate each profile in order.
    private func deploy(
        _ node: DeployPlan.Node,
        options: DeployOptions,
        record: FleetRecord,
        budget: (Rollout.FailureBudget, Int)?
    ) async {
        let targets = node.targets.filter { record.record($0.ref)?.error == nil }
        guard targets.count == node.targets.count else {
            notStarted(node.targets, record: record, because: .otherTargetFailed)
            return
        }
        guard let first = targets.first else { return }
        if Task.isCancelled || (record.isStopped && (!options.keepGoing || budget != nil)) {
            notStarted(targets, record: record, because: nil)
            return
        }
        if targets.contains(where: \.followsActivation) {
            await followUp(targets, record: record)
            return
        }
        let touchesNode = targets.contains { $0.steps.contains(.copy) || $0.activates }
        do {
            if touchesNode { try await remote.connect(first.target.resolved) }
            if options.runsPreDeployChecks, let failure = await preDeployFailure(targets) {
                skip(targets, record: record, because: failure)
                return
            }
            // Reading the generations changes nothing, so it overlaps the copy (which does not
            // touch profiles either); both finish before the first activation.
            async let generations: Void = readGenerations(targets.filter(\.activates), record: record)
            for target in targets where target.steps.contains(.copy) {
                let way = try await copy(target, options: options, record: record)
                record.update(target.ref) { row in
                    row.state = .copied
                    row.copyWay = way
                }
            }
            try await generations
        } catch {
            let failure = DeployError.from(error, target: first.ref, step: .connect)
            for target in targets {
                record.update(target.ref) { row in
                    row.state = .failed
                    row.error = failure.on(target.ref)
                }
            }
            nodeFailed(node.name, options: options, record: record, budget: budget)
            return
        }
        for (index, target) in targets.enumerated() where target.activates {
            let evenIfStopped = options.keepGoing && budget == nil
            guard !Task.isCancelled, record.beginActivation(target.ref, evenIfStopped: evenIfStopped) else {
                notStarted(Array(targets[index...]), record: record, because: nil)
                return
            }
            guard await activate(target, options: options, record: record) else {
                nodeFailed(node.name, options: options, record: record, budget: budget)
                notStarted(Array(targets[(index + 1)...]), record: record, because: .otherTargetFailed)
                return
            }
        }
    }

    /// Records the generation each target is on before this run changes anything.
    private func readGenerations(_ targets: [DeployPlan.Target], record: FleetRecord) async throws {
        for target in targets {
            let before = try await activation.current(target.target.resolved)
            generationObserver?(target.target, before.generation)
            record.update(target.ref) { row in
                row.generationBefore = before.generation
                row.generationAfter = before.generation
                row.beforeWasRead = true
            }
        }
    }

    /// Activates (and confirms) one target; returns whether it ended as asked.
    private func activate(_ target: DeployPlan.Target, options: DeployOptions, record: FleetRecord) async -> Bool {
        let ref = target.ref
        let confirms = target.steps.contains(.confirm)
        let id = ActivationFlow.newID()
        record.update(ref) { $0.activationID = id }
        do {
            var outcome = try await activation.activate(target.target, mode: options.mode, confirm: false, id: id)
            if case .pending(let pending) = outcome {
                record.update(ref) { row in
                    row.state = .pendingConfirm
                    row.pending = pending
                    row.generationAfter = pending.generation
                }
                guard options.confirm else { return true }
                if runsHealthChecks(target, options: options) {
                    let verdict = try await activation.checkHealth(target.target, pending: pending)
                    guard case .healthy(let results) = verdict else {
                        await unhealthy(target, verdict: verdict, pending: pending, record: record)
                        return false
                    }
                    record.update(ref) { $0.health = results }
                }
                outcome = try await activation.confirm(target.target, pending: pending, canaryExists: true)
            } else if case .activated = outcome, options.mode == .switch, runsHealthChecks(target, options: options) {
                // No magic rollback: the checks still decide, and a failure rolls back explicitly
                // (autoRollback) or leaves the target `unhealthy`.
                let verdict = try await activation.checkHealth(target.target, pending: nil)
                guard case .healthy(let results) = verdict else {
                    if case .activated(let generation) = outcome {
                        record.update(ref) { $0.generationAfter = generation }
                    }
                    await unhealthy(target, verdict: verdict, pending: nil, record: record)
                    return false
                }
                record.update(ref) { $0.health = results }
            }
            record.update(ref) { row in
                row.pending = nil
                switch outcome {
                case .activated(let generation):
                    row.state = confirms ? .confirmed : .activated
                    row.generationAfter = generation
                case .dryActivated:
                    row.state = .dryActivated
                case .pending(let pending):
                    row.state = .pendingConfirm
                    row.pending = pending
                case .rolledBack(let generation, let reason):
                    row.state = .rolledBack
                    row.generationAfter = generation
                    row.error = DeployError(target: ref, step: .activate, reason: reason, state: .rolledBack)
                }
            }
            return record.record(ref)?.error == nil
        } catch {
            let failure = DeployError.from(error, target: ref, step: .activate)
            record.update(ref) { row in
                row.state = failure.state
                row.error = failure
                if let generation = failure.generation { row.generationAfter = generation }
                // A confirmation that failed decided the window (rolled back, or unknown with
                // its watchdog's verdict asked for): nothing waits for `confirm` any more.
                if failure.state != .pendingConfirm && failure.state != .unknown { row.pending = nil }
            }
            return false
        }
    }

    func notStarted(_ targets: [DeployPlan.Target], record: FleetRecord, because failure: DeployFailure?) {
        for target in targets {
            record.update(target.ref) { row in
                guard row.error == nil else { return }
                row.state = .notStarted
                if let failure {
                    row.error = DeployError(
                        target: target.ref,
                        step: .activate,
                        reason: "not activated because another profile of node '\(target.ref.node)' failed",
                        failure: failure,
                        state: .notStarted
                    )
                }
            }
        }
    }
}
