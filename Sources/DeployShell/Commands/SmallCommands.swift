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
        history.enumerated().map { "\(String(repeating: " ", count: max(0, 4 - String($0.offset + 1).count)))\($0.offset + 1)  \($0.element)" }
            .joined(separator: "\n")
    }
}

/// `echo ARGS`: prints its arguments; handy in scripts.
package struct EchoCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Print the arguments."
    )

    @Argument(parsing: .captureForPassthrough)
    var words: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        EchoReport(echo: words.joined(separator: " "))
    }
}

/// `{"echo":".."}`.
package struct EchoReport: Report {
    var echo: String

    package func text(style: TextStyle) -> String { echo }
}

/// `quit` (or `exit`): leaves the shell.
package struct QuitCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "quit",
        abstract: "Leave the shell (Ctrl-D does too)."
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        session.wantsToQuit = true
        return MessageReport("")
    }
}
