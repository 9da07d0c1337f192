/// The stages before anything is built: check, load, select, evaluate, plan. Nothing changes
/// anywhere; `plan` shows what they give.
extension Deployment {
    /// Checks, loads and selects what `request` names, evaluates the selected profiles' store
    /// paths (one `nix eval` per flake) and plans the deploy.
    ///
    /// - Parameter loaded: The caller's loaded flake, reused for targets in that flake.
    /// - Throws: ``SelectionError``, ``CommandFailure`` (a failed `nix flake check` or
    ///   evaluation), ``DeploymentError``.
    ///
    /// - Parameter planning: `false` for callers that only want the evaluated targets (`plan`,
    ///   `diff`): the plan is then empty, and a large selection is not grouped for nothing.
    package func prepare(
        _ request: DeploymentRequest,
        loaded: LoadedFlake?,
        planning: Bool = true
    ) async throws -> Prepared {
        var nixVersion: NixVersion?
        let groups: [(flake: LoadedFlake, refs: [ProfileRef])]
        switch request.targets {
        case .profiles(let refs):
            guard let loaded else { throw DeploymentError.nothingLoaded }
            groups = [(loaded, refs)]
        case .patterns(let patterns):
            let flakes = request.flakes
            if request.checksFlakes {
                let version = try await environment.detectNixVersion()
                nixVersion = version
                for flake in flakes { try await checkFlake(flake, nix: NixCommand(version: version)) }
            }
            var loadedGroups: [(flake: LoadedFlake, refs: [ProfileRef])] = []
            for flake in flakes {
                let config: LoadedFlake
                if let loaded, loaded.reference == flake {
                    config = loaded
                } else {
                    config = try await load(flake)
                }
                if request.checksSchema { try checkSchema(config) }
                let mine = patterns.filter { ($0.flake ?? ".") == flake }
                loadedGroups.append((config, try Self.refs(mine, in: config.config)))
            }
            groups = loadedGroups
        }
        let spansFlakes = groups.count > 1
        var targets: [DeployTarget] = []
        var order: [NodeKey: [String]] = [:]
        for (flake, refs) in groups {
            let tag = spansFlakes ? flake.reference : nil
            let resolved = try refs.map { ref in
                var profile = try flake.config.resolve(
                    node: ref.node,
                    profile: ref.profile,
                    overrides: settings.overrides,
                    localUser: environment.localUser
                )
                profile.flake = tag
                return profile
            }
            targets += try await evaluate(resolved, flake: flake.reference)
            if planning {
                order.merge(flake.profileOrder(of: refs.map(\.node), flake: tag)) { first, _ in first }
            }
        }
        guard planning else {
            let empty = DeployPlan(nodes: [], options: request.options)
            return Prepared(
                flakes: groups.map(\.flake),
                targets: targets,
                plan: empty,
                order: [:],
                nixVersion: nixVersion
            )
        }
        var plan = Planner.plan(targets, options: request.options, order: order, builtOnNode: request.builtOnNode)
        plan.rollout = request.options.rollout.applied(to: groups.first?.flake.config.rollout)
        return Prepared(flakes: groups.map(\.flake), targets: targets, plan: plan, order: order, nixVersion: nixVersion)
    }

    /// Evaluates the store paths of `profiles` of `flake` (one `nix eval`).
    package func evaluate(_ profiles: [ResolvedProfile], flake: String) async throws -> [DeployTarget] {
        let nix = NixCommand(version: NixCommand.evaluation.version, options: settings.nixOptions)
        let evaluator = FlakeEvaluator(runner: environment.runner, nix: nix)
        return try await ProfileEvaluator(evaluator: evaluator, scratchDirectory: environment.runtimeDirectory)
            .evaluate(profiles, flake: flake)
    }

    /// Loads `flake` (see ``LoadedFlake/load(_:runner:nixOptions:)``).
    package func load(_ flake: String) async throws -> LoadedFlake {
        try await LoadedFlake.load(flake, runner: environment.runner, nixOptions: settings.nixOptions)
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
    ///
    /// - Throws: ``CommandFailure`` naming the flake when the check fails; `CancellationError`.
    func checkFlake(_ flake: String, nix: NixCommand) async throws {
        var nix = nix
        nix.options = settings.nixOptions
        let events = environment.events
        events.emit(DeployEvent(.started, target: nil, step: .check, message: flake))
        let result = try await environment.runner.run(nix.flakeCheck(flake: flake)) { line in
            events.emit(DeployEvent(.output, target: nil, step: .check, message: line))
        }
        guard result.succeeded else {
            events.emit(DeployEvent(.failed, target: nil, step: .check, message: flake))
            if result.status == .cancelled { throw CancellationError() }
            throw CommandFailure(
                result,
                summary: "nix flake check failed for '\(flake)'; nothing was deployed",
                hint: Self.flakeCheckHint(flake: flake, standardError: result.standardErrorTail)
            )
        }
        events.emit(DeployEvent(.finished, target: nil, step: .check, message: flake))
    }

    /// The next step after a failed `nix flake check`: skipping the checks does not help when
    /// nix cannot find the flake at all, so that case names the flake instead.
    package static func flakeCheckHint(flake: String, standardError: [String]) -> String {
        let missing = standardError.contains { line in
            line.contains("does not exist") || line.contains("cannot find flake")
                || line.contains("does not contain a 'flake.nix'") || line.contains("getting status of")
        }
        guard missing else {
            return "Fix the failing checks shown above, or deploy without them with -s/--skip-checks."
        }
        return "nix cannot find the flake '\(flake)': check the path or reference before '#' in the target "
            + "(a directory with a flake.nix, or a flake URL)."
    }

    /// Refuses a `deploy` output with schema errors; warnings (typos) and the errors that refuse only
    /// some nodes (`SchemaProblem.refusesOnlyDeploying`) go out as events and pass.
    func checkSchema(_ flake: LoadedFlake) throws {
        let problems = flake.schemaProblems
        for problem in problems where !problem.refusesOutput {
            environment.events.emit(DeployEvent(.warning, target: nil, step: .check, message: problem.description))
        }
        let errors = problems.filter(\.refusesOutput).map(\.description)
        if !errors.isEmpty { throw DeploymentError.schemaErrors(flake: flake.reference, problems: errors) }
    }
}
