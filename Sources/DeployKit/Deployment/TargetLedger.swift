/// Every target a session has touched, in the order first touched, with where it stands now
/// and where it stood before the session first changed it.
///
/// It exists so that one value answers `status`, `confirm` (what is pending), `copy` (what was
/// built on its node) and, later, `undo` and the session transcript; it changes only through
/// ``record(_:)``, from what a deploy's summary says the nodes did.
package struct TargetLedger: Sendable {
    /// An activation left waiting for `confirm` (magic rollback armed).
    package struct Pending: Sendable, Hashable {
        package var target: DeployTarget
        package var activation: PendingActivation

        package init(target: DeployTarget, activation: PendingActivation) {
            self.target = target
            self.activation = activation
        }
    }

    /// What the session knows about one target.
    package struct Entry: Sendable, Hashable {
        package var ref: ProfileRef
        package var state: TargetState
        /// The generation the node last reported.
        package var generation: Int?
        /// What the profile points to, when known (not after a rollback).
        package var storePath: String?
        /// Whether the last build of the target ran on its node (`copy` skips it).
        package var isBuiltOnTarget = false
        /// The armed magic rollback, while waiting for `confirm`.
        package var pending: Pending?
        /// The generation the target was on before this session first activated it, once read
        /// from the node (`nil` there means it had none).
        package var generationBeforeSession: Int??
        /// When this session last changed the target's profile: a sequence number that grows
        /// with every change of any target (`undo` goes back in reverse order of change).
        package var lastChange: Int?

        package init(ref: ProfileRef, state: TargetState) {
            self.ref = ref
            self.state = state
        }
    }

    private var entries: [Entry] = []
    private var index: [ProfileRef: Int] = [:]
    /// The last change sequence number given out (see ``Entry/lastChange``).
    private var changes = 0

    package init() {}

    /// Every entry, in the order first touched.
    package var all: [Entry] { entries }

    package subscript(ref: ProfileRef) -> Entry? {
        index[ref].map { entries[$0] }
    }

    /// The targets waiting for `confirm`, in the order first touched.
    package var pending: [Entry] { entries.filter { $0.pending != nil } }

    /// The targets whose last build ran on their node.
    package var builtOnNode: Set<ProfileRef> { Set(entries.filter(\.isBuiltOnTarget).map(\.ref)) }

    /// Records what a run did to each target of its plan, from its summary.
    package mutating func record(_ plan: DeployPlan, _ summary: DeploySummary) {
        let planned = Dictionary(plan.targets.map { ($0.ref, $0) }, uniquingKeysWith: { first, _ in first })
        for row in summary.targets {
            guard let target = planned[row.ref] else { continue }
            let known = index[row.ref]
            var builtOnTarget = known.map { entries[$0].isBuiltOnTarget } ?? false
            if row.state != .failed {
                if target.steps.contains(.buildRemotely) { builtOnTarget = true }
                if target.steps.contains(.buildLocally) { builtOnTarget = false }
            }
            if row.state == .notStarted || row.state == .waiting, let known {
                entries[known].isBuiltOnTarget = builtOnTarget
                continue
            }
            var entry = known.map { entries[$0] } ?? Entry(ref: row.ref, state: row.state)
            entry.state = row.state
            entry.generation = row.generationAfter
            entry.storePath = row.state == .rolledBack || row.storePath.isEmpty ? nil : row.storePath
            entry.isBuiltOnTarget = builtOnTarget
            if let pending = row.pending {
                entry.pending = Pending(target: target.target, activation: pending)
            } else if target.changesProfile {
                entry.pending = nil
            }
            // Only the first change counts: a target deployed twice keeps the generation it had
            // before the session touched it, not the one its first deploy left.
            if target.changesProfile, row.beforeWasRead, entry.generationBeforeSession == nil,
                row.state != .dryActivated
            {
                entry.generationBeforeSession = .some(row.generationBefore)
            }
            if target.changesProfile, row.state != .dryActivated, row.generationAfter != row.generationBefore {
                changes += 1
                entry.lastChange = changes
            }
            if let known {
                entries[known] = entry
            } else {
                index[row.ref] = entries.count
                entries.append(entry)
            }
        }
    }
}
