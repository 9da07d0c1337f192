import ArgumentParser
import DeployKit

/// `show-log TARGET`: the output of the target's last activation in this session.
package struct ShowLogCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "show-log",
        abstract: "Show the output of a target's last activation (or rollback) in this session.",
        discussion: "Example: deploy 'web*'; show-log web1.system"
    )

    @Argument(help: "The target (node.profile).") var target: String

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let refs = try SelectCommand.resolve([target], in: session)
        var entries: [ShowLogReport.Entry] = []
        for ref in refs {
            guard let lines = session.activationLogs.lines(of: ref.description) else {
                throw SessionError.badArguments(
                    command: "show-log",
                    message: "'\(ref)' was not activated in this session"
                )
            }
            entries.append(.init(target: ref.description, lines: lines))
        }
        return ShowLogReport(logs: entries)
    }
}

/// `{"logs":[{"target","lines":[..]}]}`.
package struct ShowLogReport: Report {
    struct Entry: Encodable {
        var target: String
        var lines: [String]
    }

    var logs: [Entry]

    package func text(style: TextStyle) -> String {
        logs.map { entry in
            ([style.bold(entry.target)]
                + (entry.lines.isEmpty ? ["  (no output)"] : entry.lines.map { "  " + ExecReport.visible($0) }))
                .joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
