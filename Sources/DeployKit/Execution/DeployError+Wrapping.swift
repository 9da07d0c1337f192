/// Turning any error of a step into the ``DeployError`` a target record keeps.
extension DeployError {
    /// `error` as a step failure on `target`: a ``DeployError`` as is, a failed ssh as
    /// `unreachable` (state `unknown` when the step may have changed the node), Ctrl-C as `cancelled`.
    package static func from(_ error: any Error, target: ProfileRef, step: DeployStep) -> DeployError {
        let changesNode = step == .activate || step == .confirm || step == .rollback
        switch error {
        case let error as DeployError:
            return error
        case let failure as CommandFailure:
            var wrapped = DeployError(target: target, step: step, failure: failure)
            if case .nonZeroExit(.exited(255)) = failure.kind {
                wrapped.failure = .unreachable
            }
            wrapped.state = changesNode ? .unknown : .failed
            return wrapped
        case is CancellationError:
            var cancelled = DeployError(
                target: target,
                step: step,
                reason: "cancelled",
                hint: "Run `status` to see where every target is.",
                failure: .cancelled,
                state: changesNode ? .unknown : .notStarted
            )
            cancelled.oneShotHint = "The summary shows where every target is."
            return cancelled
        case let error as any UserFacingError:
            var wrapped = DeployError(
                target: target,
                step: step,
                reason: error.message,
                details: error.details,
                hint: error.hint
            )
            let oneShot = error.hint(in: .oneShot)
            if oneShot != wrapped.hint { wrapped.oneShotHint = oneShot }
            return wrapped
        default:
            return DeployError(target: target, step: step, reason: String(describing: error))
        }
    }

    /// The same failure, recorded for another target that it stopped (a shared build or node).
    package func on(_ other: ProfileRef) -> DeployError {
        var copy = self
        copy.target = other
        return copy
    }
}
