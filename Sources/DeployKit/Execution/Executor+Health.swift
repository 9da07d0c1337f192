/// The health gate's consequences in a deploy: a failing check rolls the target back at once;
/// a failing pre-deploy check leaves the node untouched (`skipped`).
extension Executor {
    /// Whether `target` has health checks to run under `options`.
    func runsHealthChecks(_ target: DeployPlan.Target, options: DeployOptions) -> Bool {
        options.runsHealthChecks && !target.target.resolved.settings.health.checks.isEmpty
    }

    /// The first failing pre-deploy check of the node's activating targets, or `nil`.
    func preDeployFailure(_ targets: [DeployPlan.Target]) async -> (ProfileRef, HealthChecker.Result)? {
        for target in targets where target.activates {
            if let failure = await activation.preDeployFailure(target.target.resolved) {
                return (target.ref, failure)
            }
        }
        return nil
    }

    /// Marks every target of the node `skipped`: a pre-deploy check failed, nothing changed.
    func skip(_ targets: [DeployPlan.Target], record: FleetRecord, because failure: (ProfileRef, HealthChecker.Result))
    {
        let (failingRef, result) = failure
        for target in targets {
            record.update(target.ref) { row in
                row.state = .skipped
                row.error = DeployError(
                    target: target.ref,
                    step: .preDeployCheck,
                    reason: "skipped: pre-deploy check '\(result.check)' of \(failingRef) failed: \(result.detail)",
                    hint: "The node was left untouched. Run `check-health \(target.ref.node)` after fixing it, "
                        + "or deploy with --skip-pre-deploy-checks.",
                    failure: .preDeployCheckFailed(check: result.check),
                    state: .skipped
                )
            }
        }
    }

    /// A failed health gate: roll back now (the pending activation's watchdog, or explicitly
    /// with autoRollback), else leave the target `unhealthy`.
    func unhealthy(
        _ target: DeployPlan.Target,
        verdict: HealthChecker.Verdict,
        pending: PendingActivation?,
        record: FleetRecord
    ) async {
        guard case .unhealthy(let failing, let duringSoak, let results) = verdict else { return }
        let ref = target.ref
        let when = duringSoak ? "turned red during the soak" : "did not pass within healthTimeout"
        let what =
            "health check '\(failing.check)' \(when) (\(failing.attempts) attempt\(failing.attempts == 1 ? "" : "s")): "
            + failing.detail
        let profile = target.target.resolved
        let row = record.record(ref)
        let rollsBack = pending != nil || profile.settings.autoRollback
        guard rollsBack else {
            record.update(ref) { row in
                row.state = .unhealthy
                row.pending = nil
                row.health = results
                row.error = DeployError(
                    target: ref,
                    step: .health,
                    reason: what,
                    hint: "The target stays on the new generation (magicRollback and autoRollback are off); "
                        + "run `rollback \(ref)` to go back.",
                    failure: .unhealthy(check: failing.check, attempts: failing.attempts),
                    state: .unhealthy
                )
            }
            return
        }
        do {
            let outcome = try await activation.rollback(
                profile,
                pending: pending,
                generation: pending == nil ? row?.generationBefore : nil
            )
            record.update(ref) { row in
                row.state = .rolledBack
                row.pending = nil
                row.health = results
                if case .rolledBack(let generation, _) = outcome {
                    row.generationAfter = generation ?? row.generationBefore
                }
                row.error = DeployError(
                    target: ref,
                    step: .health,
                    reason: "rolled back to generation \(row.generationAfter.map(String.init) ?? "-"): " + what,
                    hint: "Fix what the check reports, then deploy again; `check-health \(ref)` runs the checks now.",
                    failure: .unhealthy(check: failing.check, attempts: failing.attempts),
                    state: .rolledBack,
                    generation: row.generationAfter
                )
            }
        } catch {
            var failure = DeployError.from(error, target: ref, step: .rollback)
            failure.reason = what + "; the rollback failed: " + failure.reason
            failure.state = failure.failure == .unreachable ? .unknown : .rollbackFailed
            record.update(ref) { row in
                row.state = failure.state
                row.health = results
                row.error = failure
            }
        }
    }
}
