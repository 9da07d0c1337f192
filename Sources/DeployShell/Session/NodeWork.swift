import DeployKit
import Synchronization

/// What each target's node is doing right now, as far as the engine's events tell: the last
/// step that started and did not end (activate, wait, confirm, rollback).
///
/// It exists for the second Ctrl-C: deploysh then leaves at once, and says which nodes still
/// have an activation, a confirmation window or a rollback going, and what their watchdog does.
package final class NodeWork: Sendable {
    private let running = Mutex<[String: (ref: ProfileRef, step: DeployStep)]>([:])

    package init() {}

    /// Follows one engine event.
    package func record(_ event: DeployEvent) {
        guard let target = event.target, let node = event.node, let profile = event.profile else { return }
        let watched: Set<DeployStep> = [.activate, .wait, .confirm, .rollback]
        guard watched.contains(event.step) else { return }
        running.withLock { running in
            switch event.kind {
            case .started, .waiting:
                running[target] = (ProfileRef(node: node, profile: profile), event.step)
            case .finished where event.step == .activate:
                // Activated with magic rollback: the window is open until confirmed.
                running[target] = (ProfileRef(node: node, profile: profile), .wait)
            case .finished, .failed:
                running[target] = nil
            case .output, .warning:
                break
            }
        }
    }

    /// Every target with something still going on its node, in name order.
    package var inFlight: [(ref: ProfileRef, step: DeployStep)] {
        running.withLock { $0.values.sorted { $0.ref.description < $1.ref.description } }
    }
}
