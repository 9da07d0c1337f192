import Synchronization

/// The executor's shared, lock-protected record of a running deploy: a row per target, the
/// order targets were activated in, and whether new activations may still start.
///
/// Node tasks run concurrently and all write here; one `Mutex` keeps it consistent.
final class FleetRecord: Sendable {
    private struct State {
        var records: [ProfileRef: TargetRecord] = [:]
        var order: [ProfileRef] = []
        /// Targets whose activation this run started, in the order it started.
        var activationOrder: [ProfileRef] = []
        var isStopped = false
        /// Nodes that failed (a staged rollout counts them against its budget).
        var failedNodes: Set<String> = []
        /// The public key of each binary cache this run uploaded to, by `pushTo`.
        var cacheKeys: [String: String] = [:]
    }

    private let state: Mutex<State>

    init(_ plan: DeployPlan) {
        var initial = State()
        for target in plan.targets {
            initial.records[target.ref] = TargetRecord(ref: target.ref, storePath: target.target.storePath)
            initial.order.append(target.ref)
        }
        state = Mutex(initial)
    }

    /// Changes one target's record.
    func update(_ ref: ProfileRef, _ change: (inout TargetRecord) -> Void) {
        state.withLock { state in
            guard var record = state.records[ref] else { return }
            change(&record)
            state.records[ref] = record
        }
    }

    func record(_ ref: ProfileRef) -> TargetRecord? { state.withLock { $0.records[ref] } }

    /// Records that `ref`'s activation starts, unless the deploy was stopped; returns whether it may.
    func beginActivation(_ ref: ProfileRef, evenIfStopped: Bool) -> Bool {
        state.withLock { state in
            guard evenIfStopped || !state.isStopped else { return false }
            state.activationOrder.append(ref)
            return true
        }
    }

    /// Counts `node` as failed; returns how many nodes failed so far.
    @discardableResult
    func nodeFailed(_ node: String) -> Int {
        state.withLock { state in
            state.failedNodes.insert(node)
            return state.failedNodes.count
        }
    }

    var failedNodeCount: Int { state.withLock { $0.failedNodes.count } }

    /// Records the caches this run uploaded to (`pushTo` to the public key of their signatures).
    func uploaded(_ keys: [String: String]) { state.withLock { $0.cacheKeys.merge(keys) { $1 } } }

    /// Whether this run uploaded to `pushTo`, and the public key of the upload's signatures.
    func cacheKey(_ pushTo: String) -> String? { state.withLock { $0.cacheKeys[pushTo] } }

    /// No new activation starts after this (in-flight ones finish).
    func stop() { state.withLock { $0.isStopped = true } }

    var isStopped: Bool { state.withLock { $0.isStopped } }

    /// The targets whose activation started, in order.
    var activationOrder: [ProfileRef] { state.withLock { $0.activationOrder } }

    /// Targets nothing happened to are `not started`, not `planned`; in a plan that activates,
    /// so are targets only built (the node was never touched).
    func finish(activates: Bool) {
        state.withLock { state in
            for (ref, record) in state.records where record.error == nil {
                if record.state == .planned || record.state == .waiting || (activates && record.state == .built) {
                    state.records[ref]?.state = .notStarted
                }
            }
        }
    }

    /// A rollout paused before `targets`' batch: those nothing happened to yet are `waiting`.
    func wait(_ targets: [ProfileRef], batch: Int) {
        state.withLock { state in
            for ref in targets {
                guard var record = state.records[ref] else { continue }
                record.batch = batch
                if record.error == nil, record.state == .planned || record.state == .built { record.state = .waiting }
                state.records[ref] = record
            }
        }
    }

    func summary(cancelled: Bool) -> DeploySummary {
        state.withLock { state in
            DeploySummary(targets: state.order.compactMap { state.records[$0] }, wasCancelled: cancelled)
        }
    }
}
