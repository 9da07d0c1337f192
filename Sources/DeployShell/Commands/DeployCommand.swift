import ArgumentParser
import DeployKit

/// `deploy [TARGET...]`: build all, copy, then activate and confirm each node's profiles in
/// order, nodes in parallel (`--jobs`).
///
/// When a target fails, targets this deploy already activated return to the generation they
/// were on before it (deploy-rs's `rollbackSucceeded`, on by default), unless `--keep-going`;
/// the summary says where every target stands, on every ending.
package struct DeployCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Build, copy, activate and confirm the selected profiles, nodes in parallel.",
        discussion: "Example: deploy --jobs 4 'web*'"
    )

    @Flag(help: "Check the activations without changing any profile.") var dryActivate = false
    @Flag(help: "Activate for the next boot.") var boot = false
    @Flag(help: "Keep already activated targets when a later one fails.") var noRollbackSucceeded = false
    @Flag(
        help: ArgumentHelp(
            "Go on after a failed node: deploy every node that can be deployed, report each failure at the end. "
                + "(Not the shell's --keep-going, which goes on after a failed command.)"
        )
    )
    var keepGoing = false
    @Option(help: "Nodes deployed at once (default: `set jobs`, else 8).") var jobs: Int?
    @Option(help: "Write one log per node (every command and its output) into this directory.") var logDir: String?
    @Flag(help: "Show each done target's whole activation output, not only its last lines.") var showOutput = false
    @Option(help: "Batches: counts or percentages of the nodes, e.g. 1,25%,100%.") var batches: String?
    @Option(help: "Failed nodes tolerated before the rollout stops: N or P%.") var maxFailures: String?
    @Option(help: "rollback-all, rollback-batch or halt, when the budget is exceeded.") var onFailure: String?
    @Option(help: "Stop after these batches (from 0), then `resume` or `abort`.") var pauseAfter: String?
    @Flag(help: "Do not run the profiles' healthChecks after activation.") var skipHealthChecks = false
    @Flag(help: "Do not run the profiles' preDeployChecks.") var skipPreDeployChecks = false
    @OptionGroup var cache: CacheFlags
    @OptionGroup var builders: BuilderFlags
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if dryActivate && boot { throw ValidationError("--dry-activate and --boot cannot be used together") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        _ = try rolloutOverrides()
        _ = try cache.options()
    }

    private func rolloutOverrides() throws -> Rollout.Overrides {
        try RolloutFlags.overrides(
            batches: batches,
            maxFailures: maxFailures,
            onFailure: onFailure,
            pauseAfter: pauseAfter
        )
    }

    package mutating func run(in session: Session) async throws -> any Report {
        var options = DeployOptions(
            mode: dryActivate ? .dryActivate : (boot ? .boot : .switch),
            jobs: jobs ?? session.settings.effectiveJobs,
            keepGoing: keepGoing,
            rollbackSucceeded: !noRollbackSucceeded
        )
        options.rollout = session.settings.rollout.overlaid(by: try rolloutOverrides())
        options.runsHealthChecks = !skipHealthChecks && session.settings.runsHealthChecks
        options.runsPreDeployChecks = !skipPreDeployChecks
        options.cache = session.settings.cache.overlaid(by: try cache.options())
        if session.pausedRollout != nil {
            throw SessionError.badArguments(
                command: "deploy",
                message: "a rollout is paused: `resume` or `abort` it first"
            )
        }
        var request = try session.request(targets, options: options, command: "deploy")
        request.pausesRollout = true
        let result = try await session.run(
            request,
            logDirectory: logDir,
            builders: builders,
            showsAllOutput: showOutput
        )
        return try result.summaryReport()
    }
}
