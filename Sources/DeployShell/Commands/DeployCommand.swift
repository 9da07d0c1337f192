import ArgumentParser
import DeployKit

/// `deploy [TARGET...]`: build all, copy all, then activate and confirm each in deploy order.
///
/// When a target fails, targets this deploy already activated are rolled back (deploy-rs's
/// `rollbackSucceeded`, on by default), and the summary says where every target stands.
package struct DeployCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Build, copy, activate and confirm the selected profiles, in deploy order.",
        discussion: "Example: deploy web1.system"
    )

    @Flag(help: "Check the activations without changing any profile.") var dryActivate = false
    @Flag(help: "Activate for the next boot.") var boot = false
    @Flag(help: "Keep already activated targets when a later one fails.") var noRollbackSucceeded = false
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if dryActivate && boot { throw ValidationError("--dry-activate and --boot cannot be used together") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        let deployTargets = try await PlanCommand.evaluate(targets, in: session, command: "deploy")
        let mode: ActivationMode = dryActivate ? .dryActivate : (boot ? .boot : .switch)
        return try await Self.deploy(
            deployTargets,
            options: DeployOptions(mode: mode, rollbackSucceeded: !noRollbackSucceeded),
            in: session
        )
    }

    /// Deploys evaluated targets in the order given: the one door to the engine's deploy, used
    /// by this command and by the one-shot `deploysh deploy` (``DeployRequest``).
    ///
    /// This sequential path uses `options.mode` and `options.rollbackSucceeded`; `jobs`,
    /// `keepGoing` and `logDirectory` are for the parallel executor.
    @MainActor
    package static func deploy(
        _ deployTargets: [DeployTarget],
        options: DeployOptions,
        in session: Session
    ) async throws -> StepReport {
        let engine = try await Engine(session: session)
        try await BuildCommand.build(deployTargets, remote: nil, engine: engine, session: session)
        _ = try await CopyCommand.copy(deployTargets, engine: engine, session: session)
        let mode = options.mode
        var rows: [StepReport.Row] = []
        var activated: [DeployTarget] = []
        for target in deployTargets {
            do {
                rows.append(
                    try await ActivateCommand.activate(
                        target,
                        mode: mode,
                        confirm: true,
                        engine: engine,
                        session: session
                    )
                )
                if mode != .dryActivate { activated.append(target) }
            } catch let error as DeployError {
                session.console.show(error, location: nil)
                let rolledBack = error.state == .rolledBack
                let now = session.targetStates[target.ref]
                rows.append(
                    .init(
                        target.ref,
                        result: rolledBack ? "rolled back" : "failed",
                        generation: now?.generation,
                        storePath: now?.storePath,
                        message: error.reason
                    )
                )
                if options.rollbackSucceeded {
                    rows = try await rollBack(activated, rows: rows, engine: engine, session: session)
                }
                let untouched = deployTargets.drop { $0.ref != target.ref }.dropFirst()
                rows += untouched.map { .init($0.ref, result: "not activated") }
                return StepReport(step: "deploy", targets: rows, failed: true)
            }
        }
        return StepReport(step: "deploy", targets: rows, failed: false)
    }

    /// Rolls back targets that this deploy activated before a later target failed.
    @MainActor
    private static func rollBack(
        _ activated: [DeployTarget],
        rows: [StepReport.Row],
        engine: Engine,
        session: Session
    ) async throws -> [StepReport.Row] {
        var rows = rows
        for target in activated.reversed() {
            let outcome = try await engine.activation.rollback(target.resolved, pending: nil, generation: nil)
            if case .rolledBack(let generation, _) = outcome,
                let index = rows.firstIndex(where: { $0.target == target.ref.description })
            {
                rows[index] = .init(
                    target.ref,
                    result: "rolled back",
                    generation: generation,
                    message: "another target failed"
                )
                session.record(TargetStatus(ref: target.ref, state: "rolled back", generation: generation))
            }
        }
        return rows
    }
}
