import DeployKit

/// Tab completion for the REPL: command names, node and `node.profile` names, setting keys.
///
/// Pure over the session's state, so it is tested without a terminal.
@MainActor
package struct Completer {
    package let session: Session

    package init(session: Session) {
        self.session = session
    }

    /// Full-word candidates for the word being typed at the end of `line`.
    package func candidates(for line: String) -> [String] {
        let endsWithBlank = line.last.map { $0 == " " || $0 == "\t" } ?? false
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let current = endsWithBlank ? "" : (words.last ?? "")
        let previous = endsWithBlank ? words : Array(words.dropLast())
        guard let command = previous.first else {
            return (CommandTable.names + ["exit"]).filter { $0.hasPrefix(current) }.sorted()
        }
        let pool: [String]
        switch command {
        case "set", "unset":
            pool = previous.count == 1 ? SettingKey.allCases.map(\.rawValue) : []
        case "help":
            pool = CommandTable.names
        case "load", "source", "echo", "eval", "quit", "history", "status", "reload", "nodes", "check":
            pool = []
        default:
            pool = targetNames
        }
        return pool.filter { $0.hasPrefix(current) }.sorted()
    }

    private var targetNames: [String] {
        guard let config = session.config else { return [] }
        var names: [String] = []
        for node in config.nodes {
            names.append(ProfileRef.quotedIfNeeded(node.name))
            for profile in node.profiles {
                names.append(ProfileRef(node: node.name, profile: profile.name).description)
            }
        }
        return names
    }
}
