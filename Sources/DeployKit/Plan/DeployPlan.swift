/// What a deploy will do, as a value: per node, its targets in deploy order and each one's steps.
///
/// Made by ``Planner`` with no side effect, so tests check plans from their inputs alone (as
/// swift-driver tests its planned jobs); ``Executor`` runs it.
package struct DeployPlan: Sendable, Hashable {
    /// One step of one target.
    package enum Step: Sendable, Hashable {
        /// Part of the one local `nix build` for every locally built target.
        case buildLocally
        /// Copy the derivation to the node and build there.
        case buildRemotely
        case copy
        case activate(ActivationMode)
        /// Wait for the canary and delete it over a new connection (magic rollback).
        case confirm
        /// Confirm an activation an earlier command left pending (`activate --no-confirm`):
        /// wait for its canary and delete it over a new connection.
        case confirmPending(PendingActivation)
        /// Roll back now: a pending activation (its watchdog switches back), else to
        /// `generation` (`nil`: the one before the current one).
        case rollback(to: Int?, pending: PendingActivation?)

        /// Whether this step acts on an activation made before this plan (`confirm`, `rollback`).
        package var followsActivation: Bool {
            switch self {
            case .confirmPending, .rollback: true
            default: false
            }
        }
    }

    /// One profile and the steps it goes through, in order.
    package struct Target: Sendable, Hashable {
        package var target: DeployTarget
        package var steps: [Step]

        package init(target: DeployTarget, steps: [Step]) {
            self.target = target
            self.steps = steps
        }

        package var ref: ProfileRef { target.ref }
        package var activates: Bool { steps.contains { if case .activate = $0 { true } else { false } } }
        /// Whether a step confirms or rolls back an earlier activation.
        package var followsActivation: Bool { steps.contains(where: \.followsActivation) }
        /// Whether the target's profile may change (so a pending confirmation it had is settled).
        package var changesProfile: Bool { activates || followsActivation }
    }

    /// One node: its profiles in deploy order (`profilesOrder` first, then by name).
    package struct Node: Sendable, Hashable {
        package var name: String
        package var targets: [Target]

        package init(name: String, targets: [Target]) {
            self.name = name
            self.targets = targets
        }
    }

    package var nodes: [Node]
    package var options: DeployOptions
    /// The rollout: the flake's `rollout` under the options' overrides (unstaged: one batch).
    package var rollout: Rollout

    package init(nodes: [Node], options: DeployOptions, rollout: Rollout? = nil) {
        self.nodes = nodes
        self.options = options
        self.rollout = rollout ?? options.rollout.applied(to: nil)
    }

    /// The nodes in batches (selection order; one batch when the rollout is not staged).
    package var batches: [[Node]] { rollout.split(nodes) }

    /// Every target in deploy order (nodes in the order given, each node's profiles in order).
    package var targets: [Target] { nodes.flatMap(\.targets) }

    /// The targets that the one local `nix build` builds.
    package var localBuilds: [DeployTarget] {
        targets.filter { $0.steps.contains(.buildLocally) }.map(\.target)
    }

    /// The targets built on their own node.
    package var remoteBuilds: [DeployTarget] {
        targets.filter { $0.steps.contains(.buildRemotely) }.map(\.target)
    }

    /// Whether any target is activated (so generations are read before anything changes).
    package var activates: Bool { targets.contains(where: \.activates) }
}
