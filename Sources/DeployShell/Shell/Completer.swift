import DeployKit

/// Tab completion for the REPL: command names, their options, node and `node.profile` names,
/// setting keys, and file paths after `load` and `source`.
///
/// Pure over the session's state and the file system, so it is tested without a terminal.
@MainActor
package struct Completer {
    package let session: Session

    package init(session: Session) {
        self.session = session
    }

    /// Every key `set` accepts: the shell's own (`jobs`, `logDir`), then deploy-rs's settings.
    package static var setKeys: [String] {
        SessionSetting.allCases.map(\.rawValue) + SettingKey.allCases.map(\.rawValue)
    }

    /// Full-word candidates for the word being typed at the end of `line`.
    ///
    /// A directory is offered with a trailing `/`, so that completion can go on inside it.
    package func candidates(for line: String) -> [String] {
        let endsWithBlank = line.last.map { $0 == " " || $0 == "\t" } ?? false
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let current = endsWithBlank ? "" : (words.last ?? "")
        let previous = endsWithBlank ? words : Array(words.dropLast())
        guard let command = previous.first else {
            return (CommandTable.names + ["exit"]).filter { $0.hasPrefix(current) }.sorted()
        }
        if current.hasPrefix("-"), let type = try? CommandTable.command(named: command) {
            return CommandOptions.names(of: type).filter { $0.hasPrefix(current) }.sorted()
        }
        let pool: [String]
        switch command {
        case "set", "unset":
            pool = previous.count == 1 ? Self.setKeys : []
        case "help":
            pool = CommandTable.names
        case "load", "source":
            return PathCompletion.candidates(for: current)
        case "echo", "eval", "quit", "history", "status", "reload", "nodes", "check":
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
