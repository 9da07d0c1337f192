import ArgumentParser
import DeployKit

/// `history`: the commands entered in this session.
package struct HistoryCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the commands entered in this session."
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        HistoryReport(history: session.history)
    }
}

/// `{"history":[..]}`.
package struct HistoryReport: Report {
    var history: [String]

    package func text(style: TextStyle) -> String {
        history.enumerated().map {
            "\(String(repeating: " ", count: max(0, 4 - String($0.offset + 1).count)))\($0.offset + 1)  \($0.element)"
        }
        .joined(separator: "\n")
    }
}
