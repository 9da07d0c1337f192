/// The steps that act on an earlier activation (`confirm`, `rollback`), run per node by the
/// executor like any other plan.
///
/// What a target ends as comes from ``ActivationFlow``'s typed outcomes and
/// ``DeployError/state`` (the watchdog's verdict read from the node, or `unknown`), never from
/// message text. Every target is attempted, even after another one failed.
extension Executor {
    /// Runs one node's confirm and rollback steps, its targets in order.
    func followUp(_ targets: [DeployPlan.Target], record: FleetRecord) async {
        for (index, target) in targets.enumerated() {
            guard !Task.isCancelled else {
                notStarted(Array(targets[index...]), record: record, because: nil)
                return
            }
            for step in target.steps {
                switch step {
                case .confirmPending(let pending):
                    await confirm(target.target, pending: pending, record: record)
                case .rollback(let generation, let pending):
                    await rollBack(target.target, to: generation, pending: pending, record: record)
                default:
                    continue
                }
            }
        }
    }

    /// Confirms one pending activation over a new connection; records `confirmed`, or where the
    /// node is after a failed confirmation (rolled back by its watchdog, or `unknown`).
    private func confirm(_ target: DeployTarget, pending: PendingActivation, record: FleetRecord) async {
        let ref = target.ref
        record.update(ref) { row in
            row.state = .pendingConfirm
            row.pending = pending
            row.generationAfter = pending.generation
            // The summary's BEFORE column: what the node said it was on before the activation.
            if let before = pending.previousGeneration {
                row.generationBefore = before
                row.beforeWasRead = true
            }
        }
        do {
            try await remote.connect(target.resolved)
        } catch {
            // The deployer cannot reach the node; its watchdog decides alone, unseen.
            var failure = DeployError.from(error, target: ref, step: .connect)
            failure.state = .unknown
            record.update(ref) { row in
                row.pending = nil
                row.state = .unknown
                row.generationAfter = nil
                row.error = failure
            }
            return
        }
        do {
            let outcome = try await activation.confirm(target, pending: pending)
            record.update(ref) { row in
                row.pending = nil
                switch outcome {
                case .activated(let generation):
                    row.state = .confirmed
                    row.generationAfter = generation ?? pending.generation
                case .rolledBack(let generation, let reason):
                    row.state = .rolledBack
                    row.generationAfter = generation
                    row.error = DeployError(target: ref, step: .confirm, reason: reason, state: .rolledBack)
                case .dryActivated, .pending:
                    row.state = .unknown
                    row.error = DeployError(
                        target: ref,
                        step: .confirm,
                        reason: "the confirmation ended without a verdict",
                        hint: "Run `status` and `generations \(ref)` to see where the node is.",
                        state: .unknown
                    )
                }
            }
        } catch {
            // Whatever failed, the watchdog on the node still decides: the node's verdict, or unknown.
            let failure = DeployError.from(error, target: ref, step: .confirm)
            record.update(ref) { row in
                row.pending = nil
                row.state = failure.state
                row.error = failure
                if failure.generation != nil || failure.state == .unknown { row.generationAfter = failure.generation }
            }
        }
    }

    /// Rolls one target back now; records `rolled back` with the generations before and after,
    /// or the typed failure (nothing changed, `rollback failed`, or `unknown`).
    private func rollBack(
        _ target: DeployTarget,
        to generation: Int?,
        pending: PendingActivation?,
        record: FleetRecord
    ) async {
        let ref = target.ref
        let profile = target.resolved
        do {
            try await remote.connect(profile)
        } catch {
            // Nothing was asked of the node; only a pending activation's watchdog acts on its own.
            var failure = DeployError.from(error, target: ref, step: .connect)
            failure.state = pending == nil ? .failed : .unknown
            record.update(ref) { row in
                row.state = failure.state
                row.error = failure
            }
            return
        }
        if let before = try? await activation.current(profile) {
            generationObserver?(target, before.generation)
            record.update(ref) { row in
                row.generationBefore = before.generation
                row.generationAfter = before.generation
                row.beforeWasRead = true
            }
        }
        do {
            let outcome = try await activation.rollback(profile, pending: pending, generation: generation)
            record.update(ref) { row in
                row.state = .rolledBack
                row.pending = nil
                if case .rolledBack(let now, _) = outcome { row.generationAfter = now }
            }
        } catch {
            let failure = DeployError.from(error, target: ref, step: .rollback)
            record.update(ref) { row in
                row.state = failure.state
                row.error = failure
                if let now = failure.generation { row.generationAfter = now }
            }
        }
    }
}
