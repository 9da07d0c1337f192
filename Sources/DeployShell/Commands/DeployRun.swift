import DeployKit

/// Evaluates targets, plans, runs the plan on the engine's executor, and records every
/// target's typed state in the session; shared by `deploy`, the step commands and the one-shot CLI.
@MainActor
package enum DeployRun {
    /// What a run did: the plan and how it ended.
    package struct Outcome {
        package var plan: DeployPlan
        package var summary: DeploySummary
        /// The error that ended it, when not every target ended as asked.
        package var error: DeployRunError?
    }

    /// Plans and runs `words` (or the selection) under `options`; never throws for a failed target.
    ///
    /// - Throws: selection and evaluation errors, before anything is built or changed.
    package static func run(
        _ words: [String],
        options: DeployOptions,
        in session: Session,
        command: String
    ) async throws -> Outcome {
        let targets = try await PlanCommand.evaluate(words, in: session, command: command)
        return try await run(targets, options: options, in: session)
    }

    /// Plans and runs evaluated targets (in the order given) under `options`.
    package static func run(
        _ targets: [DeployTarget],
        options: DeployOptions,
        in session: Session
    ) async throws -> Outcome {
        let order = try profileOrder(of: targets, in: session)
        let plan = Planner.plan(targets, options: options, order: order, builtOnNode: session.remoteBuilt)
        return try await run(plan, in: session)
    }

    /// Runs a plan on the executor (`confirm` and `rollback` make theirs with ``Planner``) and
    /// records every target's typed state in the session.
    package static func run(_ plan: DeployPlan, in session: Session) async throws -> Outcome {
        let engine = try await Engine(session: session)
        var outcome: Outcome
        do {
            outcome = Outcome(plan: plan, summary: try await engine.executor.run(plan), error: nil)
        } catch let error as DeployRunError {
            outcome = Outcome(plan: plan, summary: error.summary, error: error)
        }
        // Every target's live line becomes its result line before any summary is printed.
        session.console.finishLive()
        record(outcome, in: session)
        return outcome
    }

    /// Each node's profile names in deploy order (`profilesOrder` first), for the planner.
    package static func profileOrder(of targets: [DeployTarget], in session: Session) throws -> [ExactName: [String]] {
        let config = try session.requireConfig()
        var order: [ExactName: [String]] = [:]
        let nodes = Set(targets.map { ExactName($0.resolved.node) })
        for node in config.nodes where nodes.contains(ExactName(node.name)) {
            order[ExactName(node.name)] = node.profileNames
        }
        return order
    }

    /// Records each target's state, generation and pending confirmation in the session.
    static func record(_ outcome: Outcome, in session: Session) {
        let planned = Dictionary(
            outcome.plan.targets.map { ($0.ref, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        for row in outcome.summary.targets {
            guard let target = planned[row.ref] else { continue }
            if target.steps.contains(.buildRemotely), row.state != .failed { session.remoteBuilt.insert(row.ref) }
            if target.steps.contains(.buildLocally), row.state != .failed { session.remoteBuilt.remove(row.ref) }
            if row.state == .notStarted, session.targetStates[row.ref] != nil { continue }
            var status = TargetStatus(
                ref: row.ref,
                state: row.state,
                generation: row.generationAfter,
                storePath: row.state == .rolledBack || row.storePath.isEmpty ? nil : row.storePath
            )
            status.isBuiltOnTarget = session.remoteBuilt.contains(row.ref)
            if let pending = row.pending {
                session.pending[row.ref] = PendingTarget(target: target.target, activation: pending)
                status.confirmDeadline = pending.deadline
            } else if target.changesProfile {
                session.pending[row.ref] = nil
            }
            session.record(status)
        }
    }
}
