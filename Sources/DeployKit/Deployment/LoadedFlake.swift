/// A flake whose `deploy` output has been evaluated: the reference, the typed configuration and
/// the raw value (for the schema check).
///
/// It exists so that a loaded flake travels as one value: the shell keeps the one `load` gave
/// it, and a deploy that spans several flakes plans each target from its own.
package struct LoadedFlake: Sendable {
    package var reference: String
    package var config: DeployConfig
    /// The raw `deploy` value the load expression returned, for ``SchemaChecker``.
    package var raw: JSONValue
    /// How long the evaluation took.
    package var duration: Duration

    package init(reference: String, config: DeployConfig, raw: JSONValue, duration: Duration) {
        self.reference = reference
        self.config = config
        self.raw = raw
        self.duration = duration
    }

    /// Evaluates `flake`'s `deploy` output without any profile's path (see ``LoadExpression``).
    ///
    /// Runs one `nix eval --json FLAKE#deploy --apply EXPR`, reading the fleet while Nix prints it.
    /// - Throws: ``CommandFailure`` when nix fails, ``ConfigError`` for an output deploysh refuses.
    package static func load(_ flake: String, runner: any CommandRunner, nixOptions: NixOptions) async throws
        -> LoadedFlake
    {
        let nix = NixCommand(version: NixCommand.evaluation.version, options: nixOptions)
        let evaluator = FlakeEvaluator(runner: runner, nix: nix)
        let evaluation = try await evaluator.evaluate(flake: flake, apply: LoadExpression.applyFunction) {
            try await LoadReading.read(streaming: $0)
        }
        return LoadedFlake(
            reference: flake,
            config: evaluation.value.config,
            raw: evaluation.value.raw,
            duration: evaluation.duration
        )
    }

    /// The problems ``SchemaChecker`` finds in the raw output: errors refuse a deploy, warnings pass.
    package var schemaProblems: [SchemaProblem] { SchemaChecker.check(raw) }

    /// Each node's profile names in deploy order (`profilesOrder` first), for the planner.
    package func profileOrder(of nodes: some Sequence<String>, flake: String?) -> [NodeKey: [String]] {
        var order: [NodeKey: [String]] = [:]
        let wanted = Set(nodes.map { ExactName($0) })
        for node in config.nodes where wanted.contains(ExactName(node.name)) {
            order[NodeKey(flake: flake, node: node.name)] = node.profileNames
        }
        return order
    }
}
