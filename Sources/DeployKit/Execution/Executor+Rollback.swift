/// After a failure or Ctrl-C: find out where lost targets are, and return the targets this run
/// activated to the generation they were on before it (docs/ARCHITECTURE.md, the rollback rule).
extension Executor {
    /// Settles every target whose activation this run started, in reverse activation order.
    ///
    /// A target in state `unknown` (contact lost, Ctrl-C mid-activation) is read again: back on
    /// its generation from before the run, it is `rolled back` (its watchdog or auto rollback
    /// did it); unreadable, it stays `unknown`. With `rollBack`, every target still on this
    /// run's generation is switched back to its before-generation; each is attempted even if
    /// another fails.
    func settle(_ plan: DeployPlan, record: FleetRecord, rollBack: Bool, only: Set<ProfileRef>? = nil) async {
        let targets = Dictionary(plan.targets.map { ($0.ref, $0.target) }, uniquingKeysWith: { first, _ in first })
        for ref in record.activationOrder.reversed() where only?.contains(ref) ?? true {
            guard let row = record.record(ref), let target = targets[ref] else { continue }
            switch row.state {
            case .unknown:
                // An activation cut short (Ctrl-C, a dropped session) may still run on the node:
                // ask its watchdog to roll back as soon as it ends, instead of waiting for the lock.
                if rollBack, row.pending == nil, let id = row.activationID,
                    await rolledBackThroughWatchdog(target, id: id, record: record)
                {
                    continue
                }
                guard let now = try? await activation.current(target.resolved) else { continue }
                if row.beforeWasRead, now.generation == row.generationBefore {
                    record.update(ref) { row in
                        row.state = .rolledBack
                        row.generationAfter = now.generation
                    }
                } else if rollBack {
                    record.update(ref) { $0.generationAfter = now.generation }
                    await self.rollBack(target, row: row, record: record)
                } else {
                    record.update(ref) { $0.generationAfter = now.generation }
                }
            case .confirmed, .activated, .pendingConfirm:
                if rollBack { await self.rollBack(target, row: row, record: record) }
            default:
                continue
            }
        }
    }

    /// Asks the watchdog of activation `id` (cut short by Ctrl-C or a lost session) to roll back
    /// as soon as the activation ends; returns whether the node reports it rolled back.
    private func rolledBackThroughWatchdog(_ target: DeployTarget, id: String, record: FleetRecord) async -> Bool {
        let ref = target.ref
        activation.events.emit(
            DeployEvent(
                .waiting,
                target: ref,
                step: .rollback,
                message:
                    "cancelled: waiting for the activation on \(target.resolved.hostname) to end, then rolling back"
            )
        )
        let pending = PendingActivation(id: id, canary: "", generation: nil, deadline: .now)
        guard
            case .rolledBack(let generation, _)? = try? await activation.rollback(
                target.resolved,
                pending: pending,
                generation: nil
            )
        else { return false }
        record.update(ref) { row in
            row.state = .rolledBack
            row.pending = nil
            row.generationAfter = generation
        }
        return true
    }

    /// Switches one target back to the generation recorded before this run.
    ///
    /// A profile that had no generation before this run has nothing to go back to: deploysh
    /// does not delete a profile (that could leave a host without a system), so the target
    /// stays on the new generation and is reported `rollback failed` with a hint.
    private func rollBack(_ target: DeployTarget, row: TargetRecord, record: FleetRecord) async {
        let ref = target.ref
        if row.pending == nil, row.generationBefore == nil {
            let reason =
                row.beforeWasRead
                ? "the profile had no generation before this deploy, so there is nothing to return to"
                : "the generation before this deploy was never read, so deploysh cannot tell where to return"
            record.update(ref) { row in
                row.state = .rollbackFailed
                row.error = DeployError(
                    target: ref,
                    step: .rollback,
                    reason: reason,
                    hint:
                        "Run `generations \(ref)`, then deploy a working profile or remove the new generation by hand.",
                    failure: .rollbackFailed,
                    state: .rollbackFailed
                )
            }
            return
        }
        do {
            let outcome = try await rollBackWhenUnlocked(target, row: row)
            record.update(ref) { row in
                row.state = .rolledBack
                row.pending = nil
                if case .rolledBack(let generation, _) = outcome { row.generationAfter = generation }
                if row.error == nil {
                    row.error = DeployError(
                        target: ref,
                        step: .rollback,
                        reason: "rolled back to generation \(row.generationAfter.map(String.init) ?? "-") "
                            + "because another target failed",
                        failure: .otherTargetFailed,
                        state: .rolledBack
                    )
                }
            }
        } catch {
            var failure = DeployError.from(error, target: ref, step: .rollback)
            failure.state = .rollbackFailed
            if failure.failure != .unreachable { failure.failure = .rollbackFailed }
            record.update(ref) { row in
                row.state = .rollbackFailed
                row.pending = nil
                row.error = failure
            }
        }
    }

    /// Rolls back, waiting (bounded) while the profile's lock is held.
    ///
    /// After a lost connection or Ctrl-C, the activator on the node may still run (it finishes
    /// its activation, and its magic-rollback watchdog may follow): it holds the profile's lock,
    /// so the rollback waits for it, at most `confirmTimeout + 30` seconds (300 at most).
    private func rollBackWhenUnlocked(_ target: DeployTarget, row: TargetRecord) async throws -> ActivationOutcome {
        let settings = target.resolved.settings
        let attempts = min(settings.confirmTimeout + 30, 300)
        for attempt in 1...attempts {
            do {
                return try await activation.rollback(
                    target.resolved,
                    pending: row.pending,
                    generation: row.pending == nil ? row.generationBefore : nil
                )
            } catch let error as DeployError where attempt < attempts {
                guard case .locked = error.failure else { throw error }
                try await Task.sleep(for: .seconds(1))
            }
        }
        throw InternalError("rollback attempts ran out")
    }
}
