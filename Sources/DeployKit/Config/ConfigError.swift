/// A `deploy` output whose shape is too wrong to list its nodes.
///
/// Smaller mistakes are not errors: they are `SchemaProblem`s, so the rest still loads.
package enum ConfigError: UserFacingError, Equatable {
    /// `deploy` is not an attribute set; `type` is its Nix type name ("list", "string", …).
    case notAnAttributeSet(type: String)
    /// `deploy` has no `nodes` attribute.
    case missingNodes
    /// `deploy.nodes` is not an attribute set; `type` is its Nix type name.
    case nodesNotAnAttributeSet(type: String)

    package var message: String {
        switch self {
        case .notAnAttributeSet(let type):
            "the flake's 'deploy' output is \(JSONValue.withArticle(type)), not an attribute set"
        case .missingNodes:
            "the flake's 'deploy' output has no 'nodes' attribute"
        case .nodesNotAnAttributeSet(let type):
            "the flake's 'deploy.nodes' is \(JSONValue.withArticle(type)), not an attribute set"
        }
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
        }
    }
}
