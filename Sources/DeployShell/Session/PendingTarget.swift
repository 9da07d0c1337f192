import DeployKit

/// An activation done with `--no-confirm`: the target and its armed magic rollback.
package struct PendingTarget: Sendable, Hashable {
    package var target: DeployTarget
    package var activation: PendingActivation
}
