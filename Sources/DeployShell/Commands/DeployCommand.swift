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
    @Flag(help: "Deploy every node that can be deployed; report each failure at the end.") var keepGoing = false
    @Option(help: "Nodes deployed at once (default: `set jobs`, else 8).") var jobs: Int?
    @Option(help: "Write one log per node (every command and its output) into this directory.") var logDir: String?
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if dryActivate && boot { throw ValidationError("--dry-activate and --boot cannot be used together") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        let options = DeployOptions(
            mode: dryActivate ? .dryActivate : (boot ? .boot : .switch),
            jobs: jobs ?? session.jobs ?? DeployOptions.defaultJobs,
            keepGoing: keepGoing,
            rollbackSucceeded: !noRollbackSucceeded
        )
        guard let logDir else { return try await Self.deploy(targets: targets, options: options, in: session) }
        let saved = session.logDirectory
        session.logDirectory = logDir
        defer { session.logDirectory = saved }
        return try await Self.deploy(targets: targets, options: options, in: session)
    }

    /// The one deploy entry, for the `deploy` command and the one-shot CLI alike.
    ///
    /// - Parameters:
    ///   - targets: Target patterns (`web1.system`, `'web*'`); empty: the session's selection.
    ///   - options: Mode, jobs, keep-going, rollback of succeeded targets.
    /// - Returns: the summary report, when every target ended as asked.
    /// - Throws: the first failure (``DeployRunError``) or `CancellationError` after Ctrl-C,
    ///   once the summary has been printed.
    package static func deploy(targets: [String], options: DeployOptions, in session: Session) async throws
        -> any Report
    {
        let deployTargets = try await PlanCommand.evaluate(targets, in: session, command: "deploy")
        return try await deploy(deployTargets, options: options, in: session)
    }

    /// Deploys evaluated targets in the order given (the one-shot CLI's door to the executor).
    package static func deploy(_ targets: [DeployTarget], options: DeployOptions, in session: Session) async throws
        -> any Report
    {
        let outcome = try await DeployRun.run(targets, options: options, in: session)
        let report = DeploySummaryReport(outcome.summary, ok: outcome.error == nil)
        guard let error = outcome.error else { return report }
        session.console.show(report)
        if outcome.summary.wasCancelled { throw CancellationError() }
        throw error
    }
}
