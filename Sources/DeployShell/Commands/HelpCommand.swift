import ArgumentParser
import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `help [COMMAND]`: the command list, or one command's usage from its argument parser.
package struct HelpCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "List the commands, or show one command's usage."
    )

    @Argument(help: "A command name.")
    var command: String?

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        if let command {
            let type = try CommandTable.command(named: command)
            return HelpReport(commands: [.init(name: type.name, summary: type.summary)], usage: type.helpMessage())
        }
        return HelpReport(commands: CommandTable.commands.map { .init(name: $0.name, summary: $0.summary) }, usage: nil)
    }
}

/// The command list or one usage text.
package struct HelpReport: Report {
    struct Entry: Encodable {
        var name: String
        var summary: String
    }
    var commands: [Entry]
    var usage: String?

    /// Below the command list: where usage is, and the two `--keep-going` told apart.
    static let footer = """
        `help COMMAND` (or `COMMAND --help`) shows a command's usage.
        `deploy --keep-going` goes on after a failed node (the other nodes are deployed and kept);
        `deploysh --keep-going` goes on after a failed command of a script, -c or piped input.
        """

    package func text(style: TextStyle) -> String {
        if let usage { return usage }
        let width = commands.map(\.name.count).max() ?? 0
        let list = commands.map {
            "  " + $0.name + String(repeating: " ", count: width - $0.name.count) + "  " + $0.summary
        }
        return (list + ["", Self.footer]).joined(separator: "\n")
    }
}

extension HelpReport {
    /// The shell's commands for `deploysh --help` and the man page: each summary wrapped to
    /// `width` columns under its own column, since ArgumentParser wraps longer lines flush left.
    package static func commandList(width: Int = 79) -> String {
        let nameWidth = CommandTable.names.map(\.count).max() ?? 0
        let indent = String(repeating: " ", count: nameWidth + 4)
        return CommandTable.commands.map { command in
            var lines: [String] = []
            var line = "  " + command.name + String(repeating: " ", count: nameWidth - command.name.count) + "  "
            var lineIsEmpty = true
            for word in command.summary.split(separator: " ") {
                if !lineIsEmpty && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = indent + word
                } else {
                    line += (lineIsEmpty ? "" : " ") + word
                }
                lineIsEmpty = false
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }
        .joined(separator: "\n")
    }
}
