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

    package init(target: ProfileRef, step: DeployStep, reason: String, details: [String] = [], hint: String? = nil) {
        self.target = target
        self.step = step
        self.reason = reason
        self.details = details
        self.hint = hint
    }

    /// Wraps a failed command into a step failure on `target`.
    package init(target: ProfileRef, step: DeployStep, failure: CommandFailure) {
        self.init(target: target, step: step, reason: failure.message, details: failure.details, hint: failure.hint)
    }

    package var message: String { "\(step.rawValue) failed on \(target): \(reason)" }
}
