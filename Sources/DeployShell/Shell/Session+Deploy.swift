import DeployKit

/// The shell's door to the engine: every write-side command runs through these two, so each
/// records its result in the ledger the same way and leaves no live line drawn.
extension Session {
    /// Runs `request` through ``Deployment`` (check, load, select, evaluate, plan, execute).
    ///
    /// - Parameters:
    ///   - logDirectory: A log directory for this command only (`deploy --log-dir`).
    ///   - builders: `--builders` and `--max-jobs` for this command only.
    ///   - showsAllOutput: Show each done target's whole activation output (`--show-output`).
    /// - Throws: errors from before anything ran (see ``Deployment/run(_:loaded:)``).
    func run(
        _ request: DeploymentRequest,
        logDirectory: String? = nil,
        builders: BuilderFlags? = nil,
        showsAllOutput: Bool = false
    ) async throws -> DeploymentResult {
        var deployment = deployment(showsAllOutput: showsAllOutput)
        if let logDirectory { deployment.settings.logDirectory = logDirectory }
        if let builders { deployment.settings.nixOptions = builders.applied(to: deployment.settings.nixOptions) }
        if request.flakes.count == 1 {
            // The one-shot names its flake in the request: the transcript's plan lines carry it.
            deployment.environment.planObserver = transcriptPlanObserver(flake: request.flakes[0])
            deployment.environment.generationObserver = transcriptGenerationObserver(flake: request.flakes[0])
        }
        defer { console.finishLive() }
        let result = try await deployment.run(request, loaded: loaded)
        // Every target's live line becomes its result line before any summary is printed.
        console.finishLive()
        record(result)
        return result
    }

    /// Runs a plan made by ``Planner`` (`confirm`, `rollback`) on the engine's executor.
    func execute(_ plan: DeployPlan) async throws -> DeploymentResult {
        defer { console.finishLive() }
        let result = try await deployment().execute(plan, flakes: loaded.map { [$0] } ?? [])
        console.finishLive()
        record(result)
        return result
    }

    /// Resumes (runs the next batches of) or aborts the paused rollout, through ``Deployment``.
    func continueRollout(abort: Bool, command: String) async throws -> DeploymentResult {
        guard let paused = pausedRollout else {
            throw SessionError.badArguments(command: command, message: "no rollout is paused")
        }
        defer { console.finishLive() }
        let deployment = deployment()
        let result =
            abort
            ? try await deployment.abort(paused.rollout, flakes: paused.flakes)
            : try await deployment.resume(paused.rollout, flakes: paused.flakes)
        console.finishLive()
        record(result)
        return result
    }

    /// A request for the explicit target words of a command, or the selection.
    func request(_ words: [String], options: DeployOptions, command: String) throws -> DeploymentRequest {
        DeploymentRequest(
            targets: .profiles(try SelectCommand.targets(words, in: self, command: command)),
            options: options,
            builtOnNode: ledger.builtOnNode
        )
    }

    /// Each node's profile names in deploy order, for plans made here.
    func profileOrder(of targets: [DeployTarget]) -> [NodeKey: [String]] {
        loaded?.profileOrder(of: targets.map(\.resolved.node), flake: nil) ?? [:]
    }
}

/// A command's report that must be shown before its error: a deploy summary that says where
/// every target is, thrown when not every target ended as asked.
///
/// Commands never print; the interpreter and the one-shot CLI show ``report`` and then ``cause``.
package struct ReportedFailure: Error {
    package var report: any Report
    /// The first failure, or `CancellationError` after Ctrl-C.
    package var cause: any Error

    package init(report: any Report, cause: any Error) {
        self.report = report
        self.cause = cause
    }
}

extension DeploymentResult {
    /// The summary report when every target ended as asked; otherwise throws it with the cause.
    ///
    /// - Throws: ``ReportedFailure`` carrying the summary and the first failure (or
    ///   `CancellationError` after Ctrl-C).
    /// - Parameter face: where the summary is read (the one-shot's rows hint at command lines).
    func summaryReport(command: String? = nil, face: Face = .shell) throws -> DeploySummaryReport {
        let report = DeploySummaryReport(
            summary,
            ok: error == nil,
            command: command ?? "deploy",
            face: face,
            pause: paused.map { DeploySummaryReport.Pause($0) }
        )
        guard let error else { return report }
        throw ReportedFailure(report: report, cause: summary.wasCancelled ? CancellationError() : error)
    }

    /// Throws like ``summaryReport(command:)`` when not every target ended as asked.
    func requireSuccess(command: String? = nil) throws {
        _ = try summaryReport(command: command)
    }
}
