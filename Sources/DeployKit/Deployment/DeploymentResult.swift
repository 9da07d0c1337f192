/// How one deploy ended, and what the caller should remember from it.
///
/// Returned on every ending where a plan ran (success, a failed target, Ctrl-C): the summary
/// says where every target is. Errors before anything ran (a bad target, a failed evaluation)
/// are thrown instead.
package struct DeploymentResult: Sendable {
    /// The flakes this deploy read, in the order first named (the shell keeps the last one).
    package var flakes: [LoadedFlake]
    package var plan: DeployPlan
    package var summary: DeploySummary
    /// The error that ended it, when not every target ended as asked.
    package var error: DeployRunError?
    /// The local Nix's version, when this deploy had to learn it.
    package var nixVersion: NixVersion?
    /// The staged rollout, when it stopped after a batch of `rollout.pauseAfter` (then
    /// `summary` says where every target is so far): for ``Deployment/resume(_:flakes:)`` or
    /// ``Deployment/abort(_:flakes:)``.
    package var paused: PausedRollout?

    package init(
        flakes: [LoadedFlake],
        plan: DeployPlan,
        summary: DeploySummary,
        error: DeployRunError?,
        nixVersion: NixVersion?
    ) {
        self.flakes = flakes
        self.plan = plan
        self.summary = summary
        self.error = error
        self.nixVersion = nixVersion
    }

    /// Takes in where the executor stands: its summary, or the paused rollout.
    mutating func record(_ progress: RolloutProgress) {
        switch progress {
        case .finished(let summary):
            self.summary = summary
            paused = nil
        case .paused(let rollout):
            summary = rollout.summary
            paused = rollout
        }
    }

    /// Whether every target ended as the options asked.
    package var succeeded: Bool { error == nil }
}
