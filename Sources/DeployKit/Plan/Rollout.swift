/// A staged rollout: batches of nodes, a failure budget and what a spent budget does.
///
/// Batches follow Ansible's `serial` rules: each entry is a count or a percentage of the
/// selected nodes (a percentage is at least one node), the last entry repeats until every node
/// has a batch, and nodes keep their selection order, so the first batch is the canary.
package struct Rollout: Sendable, Hashable, Codable {
    /// One entry of `batches`.
    package enum BatchSize: Sendable, Hashable, Codable, CustomStringConvertible {
        case count(Int)
        case percent(Int)

        /// The nodes this entry takes out of `total` selected nodes (at least 1).
        package func nodes(of total: Int) -> Int {
            switch self {
            case .count(let count): max(1, count)
            case .percent(let percent): max(1, total * percent / 100)
            }
        }

        package var description: String {
            switch self {
            case .count(let count): String(count)
            case .percent(let percent): "\(percent)%"
            }
        }
    }

    /// How many failed nodes the deploy tolerates; exceeded (not equalled) stops it.
    package enum FailureBudget: Sendable, Hashable, Codable, CustomStringConvertible {
        case count(Int)
        case percent(Int)

        /// Whether `failures` out of `total` nodes exceed the budget.
        package func isExceeded(failures: Int, of total: Int) -> Bool {
            switch self {
            case .count(let allowed): failures > allowed
            // failures / total > percent / 100, in integers
            case .percent(let percent): failures * 100 > percent * total
            }
        }

        package var description: String {
            switch self {
            case .count(let count): String(count)
            case .percent(let percent): "\(percent)%"
            }
        }
    }

    /// What happens when the budget is exceeded.
    package enum OnFailure: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every target this deploy activated goes back, in reverse order (deploy-rs's semantics).
        case rollbackAll = "rollback-all"
        /// Only the targets of the batch that failed go back.
        case rollbackBatch = "rollback-batch"
        /// Nothing goes back; no new batch starts.
        case halt
    }

    package var batches: [BatchSize]
    package var maxFailures: FailureBudget
    package var onFailure: OnFailure
    /// Batch indices (from 0) after which the rollout stops and hands control back.
    package var pauseAfter: [Int]

    package init(
        batches: [BatchSize] = [],
        maxFailures: FailureBudget = .count(0),
        onFailure: OnFailure = .rollbackAll,
        pauseAfter: [Int] = []
    ) {
        self.batches = batches
        self.maxFailures = maxFailures
        self.onFailure = onFailure
        self.pauseAfter = pauseAfter
    }

    /// Whether the rollout has batches (without, a deploy runs as one batch, as before).
    package var isStaged: Bool { !batches.isEmpty }

    /// Splits `items` (in selection order) into batches; without batches, one batch of all.
    package func split<Item>(_ items: [Item]) -> [[Item]] {
        guard isStaged, !items.isEmpty else { return items.isEmpty ? [] : [items] }
        var result: [[Item]] = []
        var start = 0
        var entry = 0
        while start < items.count {
            let size = batches[min(entry, batches.count - 1)].nodes(of: items.count)
            let end = min(items.count, start + size)
            result.append(Array(items[start..<end]))
            start = end
            entry += 1
        }
        return result
    }
}

extension Rollout {
    /// The rollout values given for one deploy (flags, `set`), each above the flake's `rollout`.
    package struct Overrides: Sendable, Hashable {
        package var batches: [BatchSize]?
        package var maxFailures: FailureBudget?
        package var onFailure: OnFailure?
        package var pauseAfter: [Int]?

        package init(
            batches: [BatchSize]? = nil,
            maxFailures: FailureBudget? = nil,
            onFailure: OnFailure? = nil,
            pauseAfter: [Int]? = nil
        ) {
            self.batches = batches
            self.maxFailures = maxFailures
            self.onFailure = onFailure
            self.pauseAfter = pauseAfter
        }

        /// The overrides set here, the others from `base` (the flake's), else the defaults.
        package func applied(to base: Rollout?) -> Rollout {
            let base = base ?? Rollout()
            return Rollout(
                batches: batches ?? base.batches,
                maxFailures: maxFailures ?? base.maxFailures,
                onFailure: onFailure ?? base.onFailure,
                pauseAfter: pauseAfter ?? base.pauseAfter
            )
        }

        /// `other`'s values where it sets them, else these.
        package func overlaid(by other: Overrides) -> Overrides {
            Overrides(
                batches: other.batches ?? batches,
                maxFailures: other.maxFailures ?? maxFailures,
                onFailure: other.onFailure ?? onFailure,
                pauseAfter: other.pauseAfter ?? pauseAfter
            )
        }
    }
}
