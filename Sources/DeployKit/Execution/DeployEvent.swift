#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Progress from the engine to whoever shows it: per target, per step, with the time it happened.
///
/// The engine never prints; the shell renders these as TTY progress, plain lines or JSON.
/// The timestamp lets a reader order events of targets that run concurrently.
package struct DeployEvent: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable {
        case started
        case finished
        case failed
        case output
        case waiting
        /// Something a person should know that stops nothing (a schema warning, a typo).
        case warning
    }

    package var kind: Kind
    /// `node.profile`, or `nil` for an event about the whole selection (one build for all).
    package var target: String?
    /// The node and profile of `target`, when the event is about one target.
    package var node: String?
    package var profile: String?
    package var step: DeployStep
    package var message: String
    /// Seconds since 1970 (wall clock, for people and logs; never used to decide anything).
    package var time: Double

    package init(_ kind: Kind, target: ProfileRef?, step: DeployStep, message: String = "") {
        self.kind = kind
        self.target = target?.description
        self.node = target?.node
        self.profile = target?.profile
        self.step = step
        self.message = message
        self.time = Date().timeIntervalSince1970
    }

    /// An event about a whole node (`exec`), shown as `[node]`.
    package init(_ kind: Kind, node: String, step: DeployStep, message: String = "") {
        self.init(kind, target: nil, step: step, message: message)
        self.target = node
        self.node = node
    }

    /// `started`, `ok` or `failed` for a step change; `nil` for output and notes.
    package var status: String? {
        switch kind {
        case .started: "started"
        case .finished: "ok"
        case .failed: "failed"
        case .output, .waiting, .warning: nil
        }
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
