/// One deploy as a typed value: which targets (each with its flake), how, and which checks.
///
/// The one-shot command line and the shell's `deploy` and step commands all become one of
/// these; ``Deployment/run(_:loaded:)`` takes it from there.
package struct DeploymentRequest: Sendable {
    /// What to deploy.
    package enum Targets: Sendable, Hashable {
        /// Patterns as a person wrote them, each in its own flake (`nil`: the flake in `.`),
        /// deployed in the order given.
        case patterns([TargetPattern])
        /// Profiles of the flake the caller has loaded, already resolved (the shell's words or
        /// its selection).
        case profiles([ProfileRef])
    }

    package var targets: Targets
    package var options: DeployOptions
    /// Run `nix flake check` on each flake before anything is built (the one-shot's default).
    package var checksFlakes: Bool
    /// Refuse a `deploy` output with schema errors; warnings are reported as events.
    package var checksSchema: Bool
    /// Targets whose closure an earlier command built on their node (`copy` skips them).
    package var builtOnNode: Set<ProfileRef>
    /// Asked once everything is built and before anything changes on a node (`-i`); `false`
    /// declines the deploy (``DeploymentError/declined``).
    package var review: (@Sendable (DeploymentReview) async throws -> Bool)?
    /// Whether a staged rollout stops after the batches of `rollout.pauseAfter` (the result
    /// then carries the ``PausedRollout``); without, it runs to its end.
    package var pausesRollout = false

    package init(
        targets: Targets,
        options: DeployOptions,
        checksFlakes: Bool = false,
        checksSchema: Bool = false,
        builtOnNode: Set<ProfileRef> = [],
        review: (@Sendable (DeploymentReview) async throws -> Bool)? = nil
    ) {
        self.targets = targets
        self.options = options
        self.checksFlakes = checksFlakes
        self.checksSchema = checksSchema
        self.builtOnNode = builtOnNode
        self.review = review
    }

    /// The flakes the targets name, each once, in the order first named (`.` for none).
    package var flakes: [String] {
        guard case .patterns(let patterns) = targets else { return [] }
        var seen: Set<String> = []
        return patterns.map { $0.flake ?? "." }.filter { seen.insert($0).inserted }
    }
}

/// What `-i` shows before asking: the targets and what each one's closure changes.
package struct DeploymentReview: Sendable {
    package var targets: [DeployTarget]
    /// One diff per target built locally (a target built on its node has none to compare here).
    package var diffs: [(ref: ProfileRef, diff: ClosureDiff)]

    package init(targets: [DeployTarget], diffs: [(ref: ProfileRef, diff: ClosureDiff)]) {
        self.targets = targets
        self.diffs = diffs
    }
}
