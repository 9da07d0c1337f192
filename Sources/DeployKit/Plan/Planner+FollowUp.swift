/// Plans for the step commands that act on an earlier activation: `confirm` and `rollback`.
///
/// They are one-step plans run by the same ``Executor`` as a deploy: nodes concurrently
/// (bounded by `jobs`), each node's targets in deploy order, every target attempted even if
/// another fails (so `keepGoing`), and nothing rolled back on their behalf.
extension Planner {
    /// The plan of `confirm`: one ``DeployPlan/Step/confirmPending(_:)`` per pending activation.
    ///
    /// - Parameters:
    ///   - targets: Each target with the activation that waits for its confirmation.
    ///   - jobs: Nodes worked on at once.
    ///   - order: Each node's profile names in deploy order.
    package static func confirm(
        _ targets: [(target: DeployTarget, pending: PendingActivation)],
        jobs: Int,
        order: [NodeKey: [String]] = [:]
    ) -> DeployPlan {
        var steps: [ProfileRef: DeployPlan.Step] = [:]
        for (target, pending) in targets where steps[target.ref] == nil {
            steps[target.ref] = .confirmPending(pending)
        }
        return followUp(targets.map(\.target), steps: steps, jobs: jobs, order: order)
    }

    /// The plan of `rollback [--to GEN]`: one ``DeployPlan/Step/rollback(to:pending:)`` per target.
    ///
    /// With a generation, every target switches to it (a pending activation is not consulted);
    /// without one, a pending activation is rolled back by its watchdog, and any other target
    /// goes to the generation before its current one. Each node's profiles go back in reverse
    /// deploy order (what was activated last is undone first), as a failed deploy's are.
    /// - Parameters:
    ///   - targets: Each target, with its pending activation if any. A target that was never
    ///     evaluated (rolling back needs no build) carries an empty `storePath`.
    ///   - generation: The generation to switch to, or `nil`.
    ///   - jobs: Nodes worked on at once.
    ///   - order: Each node's profile names in deploy order.
    package static func rollback(
        _ targets: [(target: DeployTarget, pending: PendingActivation?)],
        to generation: Int?,
        jobs: Int,
        order: [NodeKey: [String]] = [:]
    ) -> DeployPlan {
        var steps: [ProfileRef: DeployPlan.Step] = [:]
        for (target, pending) in targets where steps[target.ref] == nil {
            steps[target.ref] = .rollback(to: generation, pending: generation == nil ? pending : nil)
        }
        var plan = followUp(targets.map(\.target), steps: steps, jobs: jobs, order: order)
        for index in plan.nodes.indices { plan.nodes[index].targets.reverse() }
        return plan
    }

    /// Groups `targets` by node in deploy order, each with its one step.
    private static func followUp(
        _ targets: [DeployTarget],
        steps: [ProfileRef: DeployPlan.Step],
        jobs: Int,
        order: [NodeKey: [String]]
    ) -> DeployPlan {
        // Every target is attempted (keepGoing); a failure rolls nothing else back.
        let options = DeployOptions(steps: [], jobs: jobs, keepGoing: true, rollbackSucceeded: false)
        let nodes = group(targets, order: order).map { node in
            DeployPlan.Node(
                name: node.name,
                targets: node.targets.map { target in
                    DeployPlan.Target(target: target, steps: steps[target.ref].map { [$0] } ?? [])
                }
            )
        }
        return DeployPlan(nodes: nodes, options: options)
    }
}
