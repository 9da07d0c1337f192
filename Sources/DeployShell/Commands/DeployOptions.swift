import DeployKit

/// How a deploy runs, apart from what it deploys: the shell's `deploy` flags and the one-shot
/// command line's (`--dry-activate`, `--boot`, `--rollback-succeeded`, `--jobs`, ...).
package struct DeployOptions: Sendable, Hashable {
    package var mode: ActivationMode
    /// Roll back targets this deploy already activated when a later one fails (deploy-rs's default).
    package var rollbackSucceeded: Bool
    /// How many nodes to deploy at once; `nil` lets the executor choose.
    package var jobs: Int?
    /// Deploy the other nodes after one fails, instead of stopping.
    package var keepGoing: Bool
    /// Where to write the logs of each target, including the activation on the node (`--log-dir`).
    package var logDirectory: String?

    package init(
        mode: ActivationMode = .switch,
        rollbackSucceeded: Bool = true,
        jobs: Int? = nil,
        keepGoing: Bool = false,
        logDirectory: String? = nil
    ) {
        self.mode = mode
        self.rollbackSucceeded = rollbackSucceeded
        self.jobs = jobs
        self.keepGoing = keepGoing
        self.logDirectory = logDirectory
    }
}
