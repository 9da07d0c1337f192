/// Progress from the engine to whoever shows it: per target, per step.
///
/// The engine never prints; the shell renders these as TTY progress, plain lines or JSON.
package struct DeployEvent: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable {
        case started
        case finished
        case failed
        case output
        case waiting
    }

    package var kind: Kind
    /// `node.profile`, or `nil` for an event about the whole selection (one build for all).
    package var target: String?
    package var step: DeployStep
    package var message: String

    package init(_ kind: Kind, target: ProfileRef?, step: DeployStep, message: String = "") {
        self.kind = kind
        self.target = target?.description
        self.step = step
        self.message = message
    }
}

/// Receives progress events; the shell implements it, tests collect into arrays.
package protocol EventSink: Sendable {
    func emit(_ event: DeployEvent)
}

/// An event sink that drops everything (for callers that only want results).
package struct SilentEventSink: EventSink {
    package init() {}
    package func emit(_ event: DeployEvent) {}
}
