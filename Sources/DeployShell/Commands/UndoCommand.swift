import ArgumentParser
import DeployKit

/// `undo [--force] [--session ID]`: returns every target a session changed to the generation
/// it had before that session first changed it.
///
/// This session's changes come from its ledger; an earlier session's from its transcript.
/// The latest change is undone first (each node's targets newest first; nodes start in the
/// order of their newest change), every target attempted even if one fails.
package struct UndoCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Return every target this session changed to the generation it had before the session.",
        discussion: """
            A target someone changed since is refused and named; --force returns it anyway.
            A target that had no generation before the session is left as it is (profiles are never deleted).
            Example: undo --session last
            """
    )

    @Flag(help: "Return targets even when their node is not on the generation the session left.")
    var force = false

    @Option(name: .customLong("session"), help: "Undo an earlier session, from its transcript (see `sessions`).")
    var sessionID: String?

    package init() {}

    /// Reads every changed target's generation on its node, then rolls back those that are where
    /// the session left them (or all, with `--force`).
    ///
    /// - Throws: ``ReportedFailure`` with the report when any target was not returned.
    package mutating func run(in session: Session) async throws -> any Report {
        let changes = try sessionID.map { try Self.changes(ofSession: $0, in: session) } ?? Self.changes(in: session)
        guard !changes.isEmpty else {
            return MessageReport(
                sessionID == nil ? "nothing to undo: this session changed no target" : "nothing to undo"
            )
        }
        var undo = UndoRun(force: force)
        let resolved = try await undo.resolve(changes.sorted { $0.sequence > $1.sequence }, in: session)
        let items = try await undo.check(resolved, in: session)
        var summary: DeploySummaryReport?
        var cause: (any Error)?
        if !items.isEmpty {
            let plan = Planner.undo(items, jobs: session.settings.effectiveJobs)
            let result = try await session.execute(plan)
            summary = DeploySummaryReport(result.summary, ok: result.error == nil, command: "undo")
            cause = result.error
        }
        let report = UndoReport(summary: summary, skipped: undo.skipped, unchanged: undo.unchanged)
        guard report.isFailure else { return report }
        let first = undo.skipped.first.map {
            UndoError.notUndone(reason: $0.reason, hint: $0.hint, more: undo.skipped.count - 1)
        }
        throw ReportedFailure(report: report, cause: cause ?? first ?? InternalError("undo failed without an error"))
    }

    /// This session's changed targets, from its ledger.
    @MainActor
    static func changes(in session: Session) -> [UndoRun.Change] {
        session.ledger.all.compactMap { entry in
            guard let sequence = entry.lastChange else { return nil }
            return UndoRun.Change(
                ref: entry.ref,
                flake: session.flake,
                before: entry.generationBeforeSession,
                left: entry.generation,
                sequence: sequence,
                isCutOff: false
            )
        }
    }

    /// An earlier session's changed targets, from its transcript.
    @MainActor
    static func changes(ofSession text: String, in session: Session) throws -> [UndoRun.Change] {
        let store = TranscriptStore(stateDirectory: session.environment.stateDirectory)
        let id = try store.resolve(text, current: session.transcript?.id)
        let history = SessionHistory(id: id, lines: try store.read(id))
        let cwd = history.start?.cwd
        return history.changes.map { change in
            UndoRun.Change(
                ref: ProfileRef(node: change.ref.node, profile: change.ref.profile),
                flake: change.flake.map { UndoRun.absolute($0, cwd: cwd) },
                before: change.generationBefore,
                left: change.generationAfter,
                sequence: change.sequence,
                isCutOff: change.isCutOff
            )
        }
    }
}
