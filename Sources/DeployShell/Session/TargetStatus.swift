import DeployKit

/// What the session knows about one deployed target: its state, generation and store path.
///
/// Updated by every write-side step, so after any failure `status` says exactly which
/// targets are on which generation.
package struct TargetStatus: Encodable, Sendable, Hashable {
    package var target: String
    package var node: String
    package var profile: String
    package var state: String
    package var generation: Int?
    package var storePath: String?
    /// For a pending magic rollback: when the target rolls back by itself.
    package var confirmDeadline: ContinuousClock.Instant?

    package init(ref: ProfileRef, state: String, generation: Int? = nil, storePath: String? = nil) {
        self.target = ref.description
        self.node = ref.node
        self.profile = ref.profile
        self.state = state
        self.generation = generation
        self.storePath = storePath
    }

    package var stateText: String {
        guard let confirmDeadline else { return state }
        return "\(state) (\(confirmDeadline.wholeSecondsLeft) s left to confirm)"
    }

    enum CodingKeys: String, CodingKey {
        case target, node, profile, state, generation, storePath, secondsLeft
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(node, forKey: .node)
        try container.encode(profile, forKey: .profile)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(generation, forKey: .generation)
        try container.encodeIfPresent(storePath, forKey: .storePath)
        if let confirmDeadline {
            try container.encode(confirmDeadline.wholeSecondsLeft, forKey: .secondsLeft)
        }
    }
}
