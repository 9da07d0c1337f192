import DeployKit

/// A one-shot deploy that stops before anything is deployed, for a reason of its own.
package enum DeployRequestError: UserFacingError, Equatable {
    /// `-i` with no terminal to ask on.
    case interactiveWithoutTerminal
    /// The person answered no to `-i`'s question.
    case declined
    /// The flake's `deploy` output breaks deploy-rs's schema; `problems` are the error lines.
    case schemaErrors(flake: String, problems: [String])

    package var message: String {
        switch self {
        case .interactiveWithoutTerminal: "--interactive needs a terminal to ask on, and standard input is not one"
        case .declined: "deploy cancelled: nothing was deployed"
        case .schemaErrors(let flake, let problems):
            "the deploy output of '\(flake)' has \(problems.count) error\(problems.count == 1 ? "" : "s")"
        }
    }

    package var details: [String] {
        if case .schemaErrors(_, let problems) = self { return problems }
        return []
    }

    package var hint: String? {
        switch self {
        case .interactiveWithoutTerminal: "Run it from a terminal, or drop -i/--interactive (in CI, for example)."
        case .declined: nil
        case .schemaErrors:
            "Fix the attributes named above (run `deploysh -c 'load FLAKE; check'` for details), "
                + "or skip the checks with -s/--skip-checks."
        }
    }
}
