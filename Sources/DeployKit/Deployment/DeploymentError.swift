/// A deploy that stops before anything changed on a node, for a reason of the request's own.
package enum DeploymentError: UserFacingError, Equatable {
    /// The `deploy` output has schema errors (``SchemaChecker``); nothing was built.
    case schemaErrors(flake: String, problems: [String])
    /// `-i`: the person answered no.
    case declined
    /// A request with `.profiles` targets but no loaded flake.
    case nothingLoaded

    package var message: String {
        switch self {
        case .schemaErrors(let flake, let problems):
            "the deploy output of '\(flake)' has \(problems.count) error\(problems.count == 1 ? "" : "s")"
        case .declined: "deploy cancelled: nothing was deployed"
        case .nothingLoaded: "no flake is loaded"
        }
    }

    package var hint: String? {
        switch self {
        case .schemaErrors:
            "Fix the attributes named above (run `deploysh -c 'load FLAKE; check'` for details), "
                + "or skip the checks with -s/--skip-checks."
        case .declined: nil
        case .nothingLoaded: "Load one first: `load .` or `load path:/srv/fleet`."
        }
    }

    package var details: [String] {
        if case .schemaErrors(_, let problems) = self { return problems }
        return []
    }
}
