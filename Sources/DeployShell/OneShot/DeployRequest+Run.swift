import DeployKit

extension DeployRequest {
    /// Asks a person a yes/no question on the terminal; `nil` when there is no terminal.
    package typealias Question = @MainActor (_ question: String) async -> Bool

    /// Runs the deploy against `session`: for each flake, `nix flake check` (unless `-s`),
    /// `load`, the schema check, then the targets in the order given; then one deploy of all.
    ///
    /// - Parameter ask: asks the `-i` question; `nil` when nobody can answer.
    /// - Throws: ``DeployRequestError``, ``CommandFailure`` for a failed check or evaluation,
    ///   ``SelectionError`` for a target that names nothing; ``DeployError`` from the deploy.
    @MainActor
    package func run(in session: Session, ask: Question?) async throws -> any Report {
        if interactive && ask == nil { throw DeployRequestError.interactiveWithoutTerminal }
        session.overrides = overrides
        session.nixOptions = NixOptions(extraArguments: extraBuildArguments, checksSignatures: checksSignatures)
        session.resultDirectory = resultDirectory
        session.logDirectory = logDirectory
        if !skipChecks {
            for flake in flakes { try await Self.checkFlake(flake, in: session) }
        }
        var deployTargets: [DeployTarget] = []
        for flake in flakes {
            _ = try await LoadCommand.load(flake, into: session)
            if !skipChecks { try Self.checkSchema(of: flake, in: session) }
            let refs = try Self.refs(targets(of: flake), in: try session.requireConfig())
            let resolved = try refs.map { try session.resolve($0) }
            let evaluator = FlakeEvaluator(runner: session.runner, nix: try await session.nix())
            deployTargets += try await ProfileEvaluator(evaluator: evaluator).evaluate(resolved, flake: flake)
        }
        if interactive, let ask {
            try await Self.confirm(deployTargets, in: session, ask: ask)
        }
        return try await DeployCommand.deploy(deployTargets, options: deployOptions, in: session)
    }

    /// The profiles `patterns` name, pattern by pattern in the order given, each profile once.
    ///
    /// Within one pattern (a node, a glob, a whole flake) profiles come in deploy order.
    package static func refs(_ patterns: [TargetPattern], in config: DeployConfig) throws -> [ProfileRef] {
        var seen: Set<ProfileRef> = []
        var refs: [ProfileRef] = []
        for pattern in patterns {
            for ref in try Selector.resolve([pattern], in: config) where seen.insert(ref).inserted {
                refs.append(ref)
            }
        }
        return refs
    }

    /// `nix flake check FLAKE` with the extra arguments, as deploy-rs runs it before deploying.
    @MainActor
    static func checkFlake(_ flake: String, in session: Session) async throws {
        let events = ConsoleEventSink(console: session.console)
        events.emit(DeployEvent(.started, target: nil, step: .check, message: flake))
        let result = try await session.runner.run(try await session.nix().flakeCheck(flake: flake)) { line in
            events.emit(DeployEvent(.output, target: nil, step: .check, message: line))
        }
        guard result.succeeded else {
            events.emit(DeployEvent(.failed, target: nil, step: .check, message: flake))
            if result.status == .cancelled { throw CancellationError() }
            throw CommandFailure(
                result,
                summary: "nix flake check failed for '\(flake)'; nothing was deployed",
                hint: "Fix the failing checks shown above, or deploy without them with -s/--skip-checks."
            )
        }
        events.emit(DeployEvent(.finished, target: nil, step: .check, message: flake))
    }

    /// Refuses a `deploy` output with schema errors; warnings (typos) are shown and pass.
    @MainActor
    static func checkSchema(of flake: String, in session: Session) throws {
        guard let raw = session.rawDeploy else { throw SessionError.nothingLoaded }
        let problems = SchemaChecker.check(raw)
        for problem in problems where problem.severity != .error {
            session.console.warn("\(problem.path): \(problem.message)")
        }
        let errors = problems.filter { $0.severity == .error }.map { "\($0.path): \($0.message)" }
        if !errors.isEmpty { throw DeployRequestError.schemaErrors(flake: flake, problems: errors) }
    }

    /// `-i`: builds, shows the plan and each target's closure diff, and asks before deploying.
    @MainActor
    static func confirm(_ targets: [DeployTarget], in session: Session, ask: Question) async throws {
        let built = try await DeployRun.run(targets, options: DeployOptions(steps: .build), in: session)
        if let error = built.error { throw error }
        let engine = try await Engine(session: session)
        session.console.show(PlanReport(targets: targets.map(PlanReport.Row.init)))
        var entries: [DiffReport.Entry] = []
        for target in targets where !session.remoteBuilt.contains(target.ref) {
            entries.append(.init(target: target.ref.description, diff: try await engine.differ.diff(target)))
        }
        session.console.show(DiffReport(targets: entries))
        let count = targets.count
        guard await ask("Deploy \(count == 1 ? "this profile" : "these \(count) profiles")?") else {
            throw DeployRequestError.declined
        }
    }
}
