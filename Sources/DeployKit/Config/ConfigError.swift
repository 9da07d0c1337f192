/// A `deploy` output that deploysh refuses to load, as deploy-rs would.
///
/// Unknown attributes (typos) are not errors: they stay `SchemaProblem` warnings that
/// `check` reports, so the rest still loads. When the output is refused, its warnings come with
/// the errors (`details`), since a typo (`nodse`, `hostnme`) is often the cause.
package enum ConfigError: UserFacingError, Equatable {
    /// `deploy` is not an attribute set; `type` is its Nix type name ("list", "string", …).
    case notAnAttributeSet(type: String)
    /// `deploy` has no `nodes` attribute; `warnings` are the top level's (`nodse`: did you mean `nodes`?).
    case missingNodes(warnings: [SchemaProblem])
    /// `deploy.nodes` is not an attribute set; `type` is its Nix type name.
    case nodesNotAnAttributeSet(type: String)
    /// Attributes deploy-rs would refuse (wrong types, unsafe names), each with its path; never
    /// empty. `warnings` are the output's warnings (typos), shown with them.
    case invalid([SchemaProblem], warnings: [SchemaProblem])

    package var message: String {
        switch self {
        case .notAnAttributeSet(let type):
            "the flake's 'deploy' output is \(JSONValue.withArticle(type)), not an attribute set"
        case .missingNodes:
            "the flake's 'deploy' output has no 'nodes' attribute"
        case .nodesNotAnAttributeSet(let type):
            "the flake's 'deploy.nodes' is \(JSONValue.withArticle(type)), not an attribute set"
        case .invalid(let problems, _):
            Self.line(problems.first) + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
        }
    }

    package var details: [String] {
        switch self {
        case .invalid(let problems, let warnings):
            problems.dropFirst().map(Self.line) + warnings.map { "warning: " + Self.line($0) }
        case .missingNodes(let warnings):
            warnings.map { "warning: " + Self.line($0) }
        case .notAnAttributeSet, .nodesNotAnAttributeSet:
            []
        }
    }

    /// `deploy.PATH: MESSAGE`.
    private static func line(_ problem: SchemaProblem?) -> String {
        guard let problem else { return "the flake's 'deploy' output is invalid" }
        return (problem.path == "deploy" ? "deploy" : "deploy." + problem.path) + ": " + problem.message
    }

    package var hint: String? {
        switch self {
        case .notAnAttributeSet:
            "Define `deploy` as an attribute set, as deploy-rs expects: "
                + "`deploy.nodes.NAME = { hostname = ...; profiles = ...; }`."
        case .missingNodes:
            "Add `deploy.nodes`, with one attribute per host: "
                + "`deploy.nodes.NAME = { hostname = ...; profiles = ...; }`."
        case .nodesNotAnAttributeSet:
            "Define `deploy.nodes` as an attribute set with one attribute per host, not a list."
        case .invalid:
            "Fix these attributes in the flake (deploy-rs refuses them too), then load it again."
        }
    }
}
