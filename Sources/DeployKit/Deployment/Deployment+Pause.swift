/// A staged rollout paused after a batch (`--pause-after`, `rollout.pauseAfter`): the caller
/// hands control back to a person, then resumes or aborts it here, through the same executor.
extension Deployment {
    /// Runs the batches after the one `paused` stopped after (same plan, options, budget and
    /// record of the targets already done); the result may be paused again.
    package func resume(_ paused: PausedRollout, flakes: [LoadedFlake]) async throws -> DeploymentResult {
        try await continued(paused, flakes: flakes) { executor in try await executor.resume(paused) }
    }

    /// Ends `paused` without its remaining batches: the rollout's on-failure rule applies to
    /// what this deploy activated (`rollback-all`, `rollback-batch`: back to the generation
    /// before the deploy, in reverse order; `halt`: left). The result carries the error.
    package func abort(_ paused: PausedRollout, flakes: [LoadedFlake]) async throws -> DeploymentResult {
        try await continued(paused, flakes: flakes) { executor in try await executor.abort(paused) }
    }

    private func continued(
        _ paused: PausedRollout,
        flakes: [LoadedFlake],
        _ step: (Executor) async throws -> RolloutProgress
    ) async throws -> DeploymentResult {
        let services = try await services(flakes: flakes)
        var result = DeploymentResult(
            flakes: flakes,
            plan: paused.plan,
            summary: paused.summary,
            error: nil,
            nixVersion: nil
        )
        do {
            result.record(try await step(services.executor))
        } catch let error as DeployRunError {
            result.summary = error.summary
            result.error = error
        }
        return result
    }
}
