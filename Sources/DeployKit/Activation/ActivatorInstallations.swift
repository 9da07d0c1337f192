import Synchronization

/// Where this process has installed the activator (per host, user and tempPath), so later calls
/// send the small boot program instead of the whole activator.
///
/// It exists because the activator is 40 KB: sent with every ssh call it filled the command
/// line (and, under sudo, the node's sudo log) each time. A node whose copy went missing
/// (a cleaned tempPath, a reboot) answers `not-installed` and gets the full program again.
package final class ActivatorInstallations: Sendable {
    private let installed = Mutex<Set<String>>([])

    package init() {}

    func contains(_ key: String) -> Bool { installed.withLock { $0.contains(key) } }
    func insert(_ key: String) { _ = installed.withLock { $0.insert(key) } }
    func remove(_ key: String) { _ = installed.withLock { $0.remove(key) } }
}
