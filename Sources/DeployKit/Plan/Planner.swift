/// Turns evaluated targets and options into a ``DeployPlan``; runs nothing.
///
/// Groups targets by node, keeps each node's profiles in deploy order, and decides each
/// target's steps: build (here or on the node), copy unless built on the node, activate, confirm.
package enum Planner {
    /// The plan for `targets` (already evaluated) under `options`.
    ///
    /// - Parameters:
    ///   - targets: Evaluated targets; nodes are planned in the order they first appear.
    ///   - options: Which steps, mode and confirmation.
    ///   - order: Each node's profile names in deploy order (`Node.profileNames`); profiles not
    ///     listed go last, by name.
    ///   - builtOnNode: Targets whose closure was built on their node earlier (the `copy`
    ///     step command skips them).
    package static func plan(
        _ targets: [DeployTarget],
        options: DeployOptions,
        order: [NodeKey: [String]] = [:],
        builtOnNode: Set<ProfileRef> = []
    ) -> DeployPlan {
        let nodes = group(targets, order: order).map { node in
            DeployPlan.Node(
                name: node.name,
                targets: node.targets.map { target in
                    DeployPlan.Target(
                        target: target,
                        steps: steps(for: target, options: options, builtOnNode: builtOnNode)
                    )
                }
            )
        }
        return DeployPlan(nodes: nodes, options: options)
    }

    /// Targets grouped by node (nodes in the order they first appear, duplicates dropped), each
    /// node's targets in deploy order: `order` first, then by name.
    static func group(
        _ targets: [DeployTarget],
        order: [NodeKey: [String]]
    ) -> [(name: String, targets: [DeployTarget])] {
        // Keyed by bytes, as Nix names are: `café` in NFC and NFD are two nodes.
        var byNode: [NodeKey: [DeployTarget]] = [:]
        // Nodes keep the order the targets were given in (deploy-rs's `--targets` order).
        var nodeOrder: [NodeKey] = []
        var seen = Set<ProfileRef>()
        for target in targets where seen.insert(target.ref).inserted {
            let name = target.ref.nodeKey
            if byNode[name] == nil { nodeOrder.append(name) }
            byNode[name, default: []].append(target)
        }
        return nodeOrder.map { name in
            let rank = Dictionary(
                (order[name] ?? []).enumerated().map { (ExactName($0.element), $0.offset) },
                uniquingKeysWith: { first, _ in first }
            )
            let sorted = (byNode[name] ?? []).sorted { left, right in
                let leftRank = rank[ExactName(left.resolved.profile)] ?? Int.max
                let rightRank = rank[ExactName(right.resolved.profile)] ?? Int.max
                if leftRank != rightRank { return leftRank < rightRank }
                return ExactName.precedes(left.resolved.profile, right.resolved.profile)
            }
            return (name.node.text, sorted)
        }
    }

    /// The steps of one target.
    static func steps(
        for target: DeployTarget,
        options: DeployOptions,
        builtOnNode: Set<ProfileRef>
    ) -> [DeployPlan.Step] {
        var steps: [DeployPlan.Step] = []
        var remote = builtOnNode.contains(target.ref)
        if options.steps.contains(.build) {
            remote = options.remoteBuild ?? target.resolved.settings.remoteBuild
            steps.append(remote ? .buildRemotely : .buildLocally)
        }
        if options.steps.contains(.copy), !remote { steps.append(.copy) }
        if options.steps.contains(.activate) {
            steps.append(.activate(options.mode))
            if options.confirm, options.mode == .switch, target.resolved.settings.magicRollback {
                steps.append(.confirm)
            }
        }
        return steps
    }
}
