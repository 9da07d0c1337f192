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
    /// The batch this event is about (step `batch`).
    package var batch: BatchInfo?
    /// The health check attempt this event reports (step `health` or `pre-deploy-check`).
    package var health: HealthInfo?

    /// A batch of a staged rollout: its index (from 0), its nodes and what happened.
    package struct BatchInfo: Sendable, Hashable, Codable {
        package var index: Int
        /// How many batches the rollout has (for `2/3` on a terminal); `nil` when unknown.
        package var count: Int?
        package var nodes: [String]
        /// `started`, `done`, `failed` or `paused`.
        package var status: String

        package init(index: Int, count: Int? = nil, nodes: [String], status: String) {
            self.index = index
            self.count = count
            self.nodes = nodes
            self.status = status
        }
    }

    /// One attempt of one health check.
    package struct HealthInfo: Sendable, Hashable, Codable {
        package var check: String
        package var attempt: Int
        package var isHealthy: Bool
        package var detail: String

        package init(check: String, attempt: Int, isHealthy: Bool, detail: String) {
            self.check = check
            self.attempt = attempt
            self.isHealthy = isHealthy
            self.detail = detail
        }
    }

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

    /// A batch event: `{"event":"batch","index":..,"nodes":[..],"status":..}` in JSON.
    package init(batch: BatchInfo) {
        let kind: Kind = batch.status == "started" ? .started : (batch.status == "failed" ? .failed : .finished)
        self.init(
            kind,
            target: nil,
            step: .batch,
            message: "batch \(batch.index): \(batch.status) (\(batch.nodes.joined(separator: ", ")))"
        )
        self.batch = batch
    }

    /// A health check attempt on one target.
    package init(health: HealthInfo, target: ProfileRef, step: DeployStep = .health) {
        let verdict = health.isHealthy ? "ok" : "failed"
        self.init(
            health.isHealthy ? .finished : .waiting,
            target: target,
            step: step,
            message: "\(health.check): attempt \(health.attempt) \(verdict): \(health.detail)"
        )
        self.health = health
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
