import DeployKit

extension DeployRequest {
    /// Asks a person a yes/no question on the terminal; `nil` when there is no terminal.
    package typealias Question = @MainActor (_ question: String) async -> Bool

    /// The engine's request for this command line: patterns with their flakes, checks unless `-s`.
    package func deploymentRequest() -> DeploymentRequest {
        DeploymentRequest(
            targets: .patterns(targets),
            options: deployOptions,
            checksFlakes: !skipChecks,
            checksSchema: !skipChecks
        )
    }

    /// The settings of this run: the flags' overrides, Nix options, result links and logs.
    package var settings: DeploySettings {
        DeploySettings(
            overrides: overrides,
            nixOptions: NixOptions(extraArguments: extraBuildArguments, checksSignatures: checksSignatures),
            jobs: jobs,
            logDirectory: logDirectory,
            resultDirectory: resultDirectory
        )
    }

    /// Runs the deploy through the engine (``Deployment``): for each flake `nix flake check`
    /// (unless `-s`), `load`, the schema check, then the targets in the order given, one deploy of all.
    ///
    /// - Parameter ask: asks the `-i` question; `nil` when nobody can answer.
    /// - Returns: the summary report when every target ended as asked.
    /// - Throws: ``DeployRequestError``, ``DeploymentError``, ``CommandFailure`` for a failed
    ///   check or evaluation, ``SelectionError``; ``ReportedFailure`` with the summary when a
    ///   target failed.
    @MainActor
    package func run(in session: Session, ask: Question?) async throws -> any Report {
        if interactive && ask == nil { throw DeployRequestError.interactiveWithoutTerminal }
        if rollout.pauseAfter != nil && ask == nil { throw DeployRequestError.pauseWithoutTerminal }
        session.updateSettings { $0 = settings }
        var request = deploymentRequest()
        if interactive, let ask {
            let console = session.console
            request.review = { @Sendable review in
                await MainActor.run { console.finishLive() }
                return await Self.review(review, cache: cache, console: console, ask: ask)
            }
        }
        // With a terminal, a paused rollout (`--pause-after`, `rollout.pauseAfter`) asks:
        // yes resumes, no aborts; without one, the flake's pauses do not stop the deploy.
        request.pausesRollout = ask != nil
        var result = try await session.run(request, showsAllOutput: showsAllOutput)
        while let paused = session.pausedRollout, let ask {
            let pause = DeploySummaryReport.Pause(paused.rollout, next: nil)
            session.console.show(
                DeploySummaryReport(
                    result.summary,
                    ok: true,
                    command: "deploy",
                    face: session.console.face,
                    pause: pause
                )
            )
            let resumes = await ask("Batch \(paused.rollout.batch) is done. Deploy the next batches? (no: abort)")
            result = try await session.continueRollout(abort: !resumes, command: "deploy")
        }
        return try result.summaryReport(face: session.console.face)
    }

    /// `-i`: shows the plan and each target's closure diff, and asks before deploying.
    @MainActor
    static func review(_ review: DeploymentReview, cache: CacheOptions, console: Console, ask: Question) async -> Bool {
        console.show(PlanReport(targets: review.targets.map { PlanReport.Row($0, cache: cache) }))
        console.show(DiffReport(targets: review.diffs.map { .init(target: $0.ref.description, diff: $0.diff) }))
        let count = review.targets.count
        return await ask("Deploy \(count == 1 ? "this profile" : "these \(count) profiles")?")
    }
}
