import DeployKit

/// A one-shot deploy that stops before anything is deployed because of its terminal.
package enum DeployRequestError: UserFacingError, Equatable {
    /// `-i` with no terminal to ask on.
    case interactiveWithoutTerminal
    /// `--pause-after` with no terminal to ask `resume` or `abort` on.
    case pauseWithoutTerminal

    package var message: String {
        switch self {
        case .interactiveWithoutTerminal: "--interactive needs a terminal to ask on, and standard input is not one"
        case .pauseWithoutTerminal: "--pause-after needs a terminal to ask on, and standard input is not one"
        }
    }

    package var hint: String? {
        switch self {
        case .interactiveWithoutTerminal: "Run it from a terminal, or drop -i/--interactive (in CI, for example)."
        case .pauseWithoutTerminal:
            "Run it from a terminal, or use the shell (`deploy --pause-after`, then `resume` or `abort`)."
        }
    }
}
