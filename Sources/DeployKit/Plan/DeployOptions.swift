/// How a deploy runs: which steps, how activation goes, how many nodes at once, what a failure does.
///
/// One value shared by the shell's `deploy`, its step commands and the one-shot CLI, so they
/// cannot drift apart.
package struct DeployOptions: Sendable, Hashable {
    /// The steps a plan may contain; step commands ask for one kind, `deploy` for all.
    package struct Steps: OptionSet, Sendable, Hashable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }

        package static let build = Steps(rawValue: 1)
        package static let copy = Steps(rawValue: 2)
        package static let activate = Steps(rawValue: 4)
        package static let all: Steps = [.build, .copy, .activate]
    }

    /// The default bound on nodes deployed at once.
    package static let defaultJobs = 8

    package var steps: Steps
    package var mode: ActivationMode
    /// Wait for the canary and confirm (false: leave the magic rollback armed, `activate --no-confirm`).
    package var confirm: Bool
    /// Nodes worked on at once (at least 1).
    package var jobs: Int
    /// On a failure, go on with every node that can be deployed instead of stopping.
    package var keepGoing: Bool
    /// On a failure (without `keepGoing`), return the targets this run activated to where they were.
    package var rollbackSucceeded: Bool
    /// Build on the target (`true`), locally (`false`), or as each profile's `remoteBuild` says.
    package var remoteBuild: Bool?
    /// Batches, failure budget, on-failure rule and pauses given for this deploy (above the flake's `rollout`).
    package var rollout = Rollout.Overrides()
    /// Run the profiles' `healthChecks` after activation (`--skip-health-checks`, `set healthChecks off`).
    package var runsHealthChecks = true
    /// Run the profiles' `preDeployChecks` before anything changes (`--skip-pre-deploy-checks`).
    package var runsPreDeployChecks = true
    /// The binary cache to push through (`--push-to`, `set pushTo`), above the flake's `binaryCache`.
    package var cache = CacheOptions()

    package init(
        steps: Steps = .all,
        mode: ActivationMode = .switch,
        confirm: Bool = true,
        jobs: Int = DeployOptions.defaultJobs,
        keepGoing: Bool = false,
        rollbackSucceeded: Bool = true,
        remoteBuild: Bool? = nil
    ) {
        self.steps = steps
        self.mode = mode
        self.confirm = confirm
        self.jobs = max(1, jobs)
        self.keepGoing = keepGoing
        self.rollbackSucceeded = rollbackSucceeded
        self.remoteBuild = remoteBuild
    }
}
