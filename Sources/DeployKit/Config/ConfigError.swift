/// A `deploy` output that deploysh refuses to load, as deploy-rs would.
///
/// Unknown attributes (typos) are not errors: they stay `SchemaProblem` warnings that
/// `check` reports, so the rest still loads.
package enum ConfigError: UserFacingError, Equatable {
    /// `deploy` is not an attribute set; `type` is its Nix type name ("list", "string", …).
    case notAnAttributeSet(type: String)
    /// `deploy` has no `nodes` attribute.
    case missingNodes
    /// `deploy.nodes` is not an attribute set; `type` is its Nix type name.
    case nodesNotAnAttributeSet(type: String)
    /// Attributes deploy-rs would refuse (wrong types, unsafe names), each with its path; never empty.
    case invalid([SchemaProblem])

    package var message: String {
        switch self {
        case .notAnAttributeSet(let type):
            "the flake's 'deploy' output is \(JSONValue.withArticle(type)), not an attribute set"
        case .missingNodes:
            "the flake's 'deploy' output has no 'nodes' attribute"
        case .nodesNotAnAttributeSet(let type):
            "the flake's 'deploy.nodes' is \(JSONValue.withArticle(type)), not an attribute set"
        case .invalid(let problems):
            Self.line(problems.first) + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
        }
    }

    package var details: [String] {
        guard case .invalid(let problems) = self, problems.count > 1 else { return [] }
        return problems.dropFirst().map(Self.line)
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
