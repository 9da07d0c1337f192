import DeployKit
import Synchronization

/// The output of each target's last activation, kept for `show-log TARGET`.
///
/// On a terminal the activation's output shows only as the tail of its target's live line;
/// this keeps it readable afterwards. At most `limit` lines per target (the last ones).
package final class ActivationLogs: Sendable {
    private let lines = Mutex<[String: [String]]>([:])
    package let limit = 2000

    package init() {}

    /// Starts, appends to, or leaves alone a target's log, from one engine event.
    package func record(_ event: DeployEvent) {
        guard let target = event.target, event.step == .activate || event.step == .rollback else { return }
        lines.withLock { lines in
            switch event.kind {
            case .started where event.step == .activate:
                lines[target] = []
            case .output:
                lines[target, default: []].append(event.message)
                if lines[target, default: []].count > limit { lines[target]?.removeFirst() }
            default:
                break
            }
        }
    }

    /// The last activation's output of `target` (`node.profile`), or `nil` if none ran.
    package func lines(of target: String) -> [String]? {
        lines.withLock { $0[target] }
    }
}
