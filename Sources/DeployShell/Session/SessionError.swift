import DeployKit

/// Commands used in the wrong order or with nothing to act on.
package enum SessionError: UserFacingError, Equatable {
    case nothingLoaded
    case nothingSelected(command: String)
    case unknownCommand(String, suggestions: [String])
    case badArguments(command: String, message: String)
    case sourceTooDeep(file: String)
    case cannotRead(file: String, reason: String)

    package var message: String {
        switch self {
        case .nothingLoaded: "no flake is loaded"
        case .nothingSelected(let command): "'\(command)' needs targets, and nothing is selected"
        case .unknownCommand(let name, let suggestions):
            suggestions.isEmpty
                ? "unknown command '\(name)'"
                : "unknown command '\(name)'; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
        case .badArguments(let command, let message): "\(command): \(message)"
        case .sourceTooDeep(let file): "'\(file)' sources scripts more than 16 levels deep"
        case .cannotRead(let file, let reason): "cannot read '\(file)': \(reason)"
        }
    }

    package var hint: String? {
        switch self {
        case .nothingLoaded: "Run `load FLAKE` first (for example `load .`)."
        case .nothingSelected(let command): "Run `select TARGET` first, or pass targets: `\(command) web1.system`."
        case .unknownCommand: "Run `help` to list the commands."
        case .badArguments(let command, _): "Run `help \(command)` for its usage."
        case .sourceTooDeep: "Check for a script that sources itself."
        case .cannotRead: "Check the path and its permissions."
        }
    }
}
