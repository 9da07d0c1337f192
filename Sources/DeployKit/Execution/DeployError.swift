/// A deploy step that failed on a target, with where things stand now.
///
/// The message names the target and the step; details carry the failed command line and
/// its stderr tail; the hint says what to do next.
package struct DeployError: UserFacingError, Hashable {
    package var target: ProfileRef
    package var step: DeployStep
    package var reason: String
    package var details: [String]
    package var hint: String?
    /// The hint for the one-shot command line, when `hint` names a shell command (see ``Face``).
    package var oneShotHint: String?
    /// Why it failed, for code (never decide by reading `reason`).
    package var failure: DeployFailure
    /// Where the target is after this failure, as read from the node, or `.unknown`.
    package var state: TargetState
    /// The generation the node reported after this failure, when known.
    package var generation: Int?

    package init(
        target: ProfileRef,
        step: DeployStep,
        reason: String,
        details: [String] = [],
        hint: String? = nil,
        failure: DeployFailure = .other,
        state: TargetState = .failed,
        generation: Int? = nil
    ) {
        self.target = target
        self.step = step
        self.reason = reason
        self.details = details
        self.hint = hint
        self.failure = failure
        self.state = state
        self.generation = generation
    }

    /// Wraps a failed command into a step failure on `target`.
    package init(target: ProfileRef, step: DeployStep, failure: CommandFailure) {
        self.init(target: target, step: step, reason: failure.message, details: failure.details, hint: failure.hint)
    }

    package var message: String { "\(step.rawValue) failed on \(target): \(reason)" }

    /// The hint for `face`: in the one-shot, ``oneShotHint``, else a command line for the shell
    /// command the hint names (``oneShotFallback``), else `hint`.
    package func hint(in face: Face) -> String? {
        face == .oneShot ? oneShotHint ?? oneShotFallback ?? hint : hint
    }
}
