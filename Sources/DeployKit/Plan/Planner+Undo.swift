/// The plan of `undo`: each target back to its own recorded generation.
///
/// `rollback --to GEN` sends every target to one generation; `undo` returns each target this
/// session (or an earlier one) changed to the generation it had before, so each carries its own.
extension Planner {
    /// One ``DeployPlan/Step/rollback(to:pending:)`` per target, to that target's generation.
    ///
    /// Targets are given newest change first; nodes start in the order their newest change
    /// appears, and each node's targets go back newest first, so with `jobs` 1 the whole fleet
    /// goes back in exact reverse order of change. Every target is attempted even if another
    /// fails (`keepGoing`), and a failure rolls nothing else back.
    /// - Parameters:
    ///   - targets: Each target (its `storePath` may be empty: rolling back builds nothing) with
    ///     the generation to switch to, newest change first.
    ///   - jobs: Nodes worked on at once.
    package static func undo(_ targets: [(target: DeployTarget, generation: Int)], jobs: Int) -> DeployPlan {
        var nodeOrder: [NodeKey] = []
        var byNode: [NodeKey: [DeployPlan.Target]] = [:]
        var seen = Set<ProfileRef>()
        for (target, generation) in targets where seen.insert(target.ref).inserted {
            let key = target.ref.nodeKey
            if byNode[key] == nil { nodeOrder.append(key) }
            byNode[key, default: []].append(
                DeployPlan.Target(target: target, steps: [.rollback(to: generation, pending: nil)])
            )
        }
        let options = DeployOptions(steps: [], jobs: jobs, keepGoing: true, rollbackSucceeded: false)
        let nodes = nodeOrder.map { DeployPlan.Node(name: $0.node.text, targets: byNode[$0] ?? []) }
        return DeployPlan(nodes: nodes, options: options)
    }
}
