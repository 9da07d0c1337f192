/// How to activate: switch now, only check (`dry-activate`), or at next boot.
package enum ActivationMode: String, Sendable, Hashable, Codable {
    case `switch`
    case dryActivate = "dry-activate"
    case boot
}

/// A magic rollback waiting for confirmation: the deployer must delete the canary in time.
package struct PendingActivation: Sendable, Hashable, Codable {
    package var id: String
    package var canary: String
    package var generation: Int?
    package var deadline: ContinuousClock.Instant
    /// The generation the profile was on before this activation, as the node read it (`nil`:
    /// none, or not reported).
    package var previousGeneration: Int?

    package init(
        id: String,
        canary: String,
        generation: Int?,
        deadline: ContinuousClock.Instant,
        previousGeneration: Int? = nil
    ) {
        self.id = id
        self.canary = canary
        self.generation = generation
        self.deadline = deadline
        self.previousGeneration = previousGeneration
    }

    enum CodingKeys: String, CodingKey { case id, canary, generation, previousGeneration }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        canary = try container.decode(String.self, forKey: .canary)
        generation = try container.decodeIfPresent(Int.self, forKey: .generation)
        previousGeneration = try container.decodeIfPresent(Int.self, forKey: .previousGeneration)
        deadline = .now
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(canary, forKey: .canary)
        try container.encodeIfPresent(generation, forKey: .generation)
        try container.encodeIfPresent(previousGeneration, forKey: .previousGeneration)
    }
}

/// What an activation (or a later confirm or rollback) left the target on.
package enum ActivationOutcome: Sendable, Hashable {
    /// Activated and, with magic rollback, confirmed.
    case activated(generation: Int?)
    case dryActivated
    /// Activated; the watchdog rolls back unless `confirm` runs before the deadline.
    case pending(PendingActivation)
    /// Rolled back (the activation failed, or the confirmation did not arrive).
    case rolledBack(generation: Int?, reason: String)
}

/// One generation of a profile on a target.
package struct Generation: Sendable, Hashable, Codable {
    package var number: Int
    package var storePath: String
    package var isCurrent: Bool
    package var date: String

    package init(number: Int, storePath: String, isCurrent: Bool, date: String) {
        self.number = number
        self.storePath = storePath
        self.isCurrent = isCurrent
        self.date = date
    }
}
