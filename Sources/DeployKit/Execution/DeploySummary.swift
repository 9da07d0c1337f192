/// How a deploy ended for every target of its plan: one row each, in deploy order.
///
/// Every ending (success, failure, lost node, Ctrl-C, failed rollback) produces one, so a
/// person always learns where every target is.
package struct DeploySummary: Sendable, Hashable {
    package var targets: [TargetRecord]
    /// Whether the run was cancelled (Ctrl-C) before it finished.
    package var wasCancelled: Bool

    package init(targets: [TargetRecord], wasCancelled: Bool = false) {
        self.targets = targets
        self.wasCancelled = wasCancelled
    }

    /// Whether every target ended as asked: confirmed or activated, dry-activated when asked
    /// to, pending when asked not to confirm; with no activation step, whether nothing failed.
    package func succeeded(options: DeployOptions) -> Bool {
        !wasCancelled
            && targets.allSatisfy { record in
                guard record.error == nil else { return false }
                guard options.steps.contains(.activate) else { return true }
                switch (options.mode, record.state) {
                case (.dryActivate, .dryActivated): return true
                case (.dryActivate, _): return false
                case (_, .confirmed), (_, .activated): return true
                case (_, .pendingConfirm): return !options.confirm
                default: return false
                }
            }
    }

    /// The cause to show: the first error in deploy order that is not a consequence of another.
    package var firstError: DeployError? {
        let errors = targets.compactMap(\.error)
        return errors.first { $0.failure != .otherTargetFailed && $0.failure != .cancelled } ?? errors.first
    }
}

/// A deploy that did not end as asked; carries the summary of every target.
///
/// Thrown by ``Executor/run(_:)``, so a caller that only catches errors still learns where
/// every target is.
package struct DeployRunError: UserFacingError {
    package var summary: DeploySummary
    /// The first failure (or `CancellationError` after Ctrl-C).
    package var cause: any Error

    package init(summary: DeploySummary, cause: any Error) {
        self.summary = summary
        self.cause = cause
    }

    package var message: String {
        if summary.wasCancelled { return "the deploy was cancelled" }
        let failed = summary.targets.filter { $0.error != nil }.count
        let first = (cause as? any UserFacingError)?.message ?? String(describing: cause)
        return failed > 1 ? "\(first) (and \(failed - 1) more failed)" : first
    }

    package var hint: String? { hint(in: .shell) }

    /// The cause's hint for `face` (a failed activation names `rollback` in the shell, a command
    /// line in the one-shot).
    package func hint(in face: Face) -> String? {
        guard let cause = cause as? any UserFacingError else {
            return face == .shell
                ? "Run `status` to see where every target is." : "The summary shows where every target is."
        }
        return cause.hint(in: face)
    }

    package var details: [String] { (cause as? any UserFacingError)?.details ?? [] }
}
