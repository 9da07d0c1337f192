import DeployKit

/// What the session knows about one deployed target: its state, generation and store path.
///
/// Updated by every write-side step, so after any failure `status` says exactly which
/// targets are on which generation.
package struct TargetStatus: Encodable, Sendable, Hashable {
    package var target: String
    package var node: String
    package var profile: String
    package var state: TargetState
    /// Whether the last build ran on the target itself (shown as `built on target`).
    package var isBuiltOnTarget = false
    package var generation: Int?
    package var storePath: String?
    /// For a pending magic rollback: when the target rolls back by itself.
    package var confirmDeadline: ContinuousClock.Instant?

    /// The deadline while the target is still pending (a confirm or rollback since ends it).
    private var pendingDeadline: ContinuousClock.Instant? {
        state == .pendingConfirm ? confirmDeadline : nil
    }

    package init(ref: ProfileRef, state: TargetState, generation: Int? = nil, storePath: String? = nil) {
        self.target = ref.description
        self.node = ref.node
        self.profile = ref.profile
        self.state = state
        self.generation = generation
        self.storePath = storePath
    }

    /// The status of a ledger entry.
    package init(_ entry: TargetLedger.Entry) {
        self.init(ref: entry.ref, state: entry.state, generation: entry.generation, storePath: entry.storePath)
        isBuiltOnTarget = entry.isBuiltOnTarget
        confirmDeadline = entry.pending?.activation.deadline
    }

    /// The state as people read it, with the seconds left to confirm while pending.
    package var stateText: String {
        let text = isBuiltOnTarget && state == .built ? "built on target" : state.rawValue
        guard let confirmDeadline = pendingDeadline else { return text }
        return "\(text) (\(confirmDeadline.wholeSecondsLeft) s left to confirm)"
    }

    enum CodingKeys: String, CodingKey {
        case target, node, profile, state, generation, storePath, secondsLeft
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(node, forKey: .node)
        try container.encode(profile, forKey: .profile)
        try container.encode(isBuiltOnTarget && state == .built ? "built on target" : state.rawValue, forKey: .state)
        try container.encodeIfPresent(generation, forKey: .generation)
        try container.encodeIfPresent(storePath, forKey: .storePath)
        if let confirmDeadline = pendingDeadline {
            try container.encode(confirmDeadline.wholeSecondsLeft, forKey: .secondsLeft)
        }
    }
}
