import ArgumentParser
import DeployKit

/// Every command of the shell, looked up by its first word, with did-you-mean suggestions.
package enum CommandTable {
    package static let commands: [any ShellCommand.Type] =
        [
            LoadCommand.self, ReloadCommand.self, NodesCommand.self, ShowCommand.self, SetCommand.self,
            UnsetCommand.self, SelectCommand.self, PlanCommand.self, EvalCommand.self, CheckCommand.self,
            StatusCommand.self, HelpCommand.self, HistoryCommand.self, EchoCommand.self, SourceCommand.self,
            SleepCommand.self, QuitCommand.self, SessionsCommand.self, DriftCommand.self,
        ] + DeployCommands.all

    package static var names: [String] { commands.map { $0.name } }

    /// The command type named `name`.
    ///
    /// - Throws: ``SessionError/unknownCommand(_:suggestions:)`` with the nearest names.
    package static func command(named name: String) throws -> any ShellCommand.Type {
        if let command = commands.first(where: { $0.name == name }) { return command }
        if name == "exit" { return QuitCommand.self }
        throw SessionError.unknownCommand(name, suggestions: NameSuggestions.nearest(to: name, in: names))
    }

    /// Parses the words after the command name with the command's own argument parser.
    ///
    /// - Returns: the command, or a help report when the user asked for `--help`.
    package static func parse(_ type: any ShellCommand.Type, arguments: [String]) throws -> ParsedCommand {
        do {
            return .command(try type.parse(arguments) as any ParsableArguments)
        } catch {
            if type.exitCode(for: error) == .success {
                return .help(MessageReport(type.helpMessage()))
            }
            let message = type.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments"
            throw SessionError.badArguments(command: type.name, message: lowercasedFirst(message))
        }
    }

    private static func lowercasedFirst(_ text: String) -> String {
        var text = text
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

/// The outcome of parsing one command's words.
package enum ParsedCommand {
    case command(any ParsableArguments)
    case help(MessageReport)
}
