/// The one entry into a deploy: check, load, select, evaluate, plan, execute.
///
/// The shell's `deploy`, its step commands and the one-shot `deploysh deploy` each make a
/// ``DeploymentRequest`` (or, for `confirm` and `rollback`, a plan) and call this; they keep
/// only parsing, the session and rendering. See docs/ARCHITECTURE.md for the whole path.
package struct Deployment: Sendable {
    package var environment: DeployEnvironment
    package var settings: DeploySettings

    package init(environment: DeployEnvironment, settings: DeploySettings) {
        self.environment = environment
        self.settings = settings
    }

    /// A request made ready to run: the flakes read, the evaluated targets and the plan.
    package struct Prepared: Sendable {
        package var flakes: [LoadedFlake]
        package var targets: [DeployTarget]
        package var plan: DeployPlan
        /// Each node's profile names in deploy order, as the plan used them.
        package var order: [NodeKey: [String]]
        /// The local Nix's version, when preparing had to learn it (`nix flake check`).
        package var nixVersion: NixVersion?
    }

    /// Runs `request` to its end.
    ///
    /// - Parameter loaded: The flake the caller has loaded already (the shell's); a pattern
    ///   naming that flake reuses it instead of evaluating it again.
    /// - Returns: the result on every ending once a plan ran, with the summary of every target.
    /// - Throws: before anything is built or changed: ``SelectionError``, ``CommandFailure`` (a
    ///   failed check or evaluation), ``DeploymentError``; `CancellationError` after Ctrl-C.
    package func run(_ request: DeploymentRequest, loaded: LoadedFlake? = nil) async throws -> DeploymentResult {
        var prepared = try await prepare(request, loaded: loaded)
        var deployment = self
        if let version = prepared.nixVersion { deployment.environment.nixVersion = version }
        if let review = request.review {
            let buildOnly = Planner.plan(
                prepared.targets,
                options: DeployOptions(steps: .build, jobs: request.options.jobs),
                order: prepared.order,
                builtOnNode: request.builtOnNode
            )
            let built = try await deployment.execute(buildOnly, flakes: prepared.flakes)
            if let version = built.nixVersion { deployment.environment.nixVersion = version }
            guard built.error == nil else { return built }
            let services = try await deployment.services(flakes: prepared.flakes)
            var diffs: [(ref: ProfileRef, diff: ClosureDiff)] = []
            for target in buildOnly.targets where target.steps.contains(.buildLocally) {
                diffs.append((target.ref, try await services.differ.diff(target.target)))
            }
            guard try await review(DeploymentReview(targets: prepared.targets, diffs: diffs)) else {
                throw DeploymentError.declined
            }
            prepared.nixVersion = deployment.environment.nixVersion
        }
        var result = try await deployment.execute(
            prepared.plan,
            flakes: prepared.flakes,
            pauses: request.pausesRollout
        )
        result.nixVersion = result.nixVersion ?? prepared.nixVersion
        return result
    }

    /// Runs a plan on the executor (a deploy's, or a `confirm` or `rollback` plan of ``Planner``).
    ///
    /// - Returns: the plan's summary, with the error when not every target ended as asked.
    /// - Throws: only when the engine cannot start (no Nix, an unwritable log directory).
    ///
    /// With `pauses`, a staged rollout stops after each batch of `rollout.pauseAfter` and the
    /// result carries the ``PausedRollout`` (see `Deployment+Pause.swift`); without, it runs on.
    package func execute(_ plan: DeployPlan, flakes: [LoadedFlake], pauses: Bool = false) async throws
        -> DeploymentResult
    {
        let learned = environment.nixVersion == nil
        let services = try await services(flakes: flakes)
        var result = DeploymentResult(
            flakes: flakes,
            plan: plan,
            summary: DeploySummary(targets: []),
            error: nil,
            nixVersion: learned ? services.nix.version : nil
        )
        environment.planObserver?(plan)
        do {
            if pauses {
                result.record(try await services.executor.start(plan))
            } else {
                result.summary = try await services.executor.run(plan)
            }
        } catch let error as DeployRunError {
            result.summary = error.summary
            result.error = error
        }
        return result
    }

    /// The engine's parts for this deploy (learning the Nix version when needed).
    package func services(flakes: [LoadedFlake]) async throws -> DeployServices {
        try DeployServices(
            environment: environment,
            settings: settings,
            nixVersion: try await environment.detectNixVersion(),
            flakes: flakes
        )
    }
}
