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
    package var echo: String

    package init(echo: String) {
        self.echo = echo
    }

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

/// `sleep SECONDS`: waits (cancellable with Ctrl-C); for scripts that pace a step-through.
package struct SleepCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "sleep",
        abstract: "Wait for a number of seconds (Ctrl-C cancels).",
        discussion: "Example: activate --no-confirm; sleep 5; confirm"
    )

    @Argument(help: "Seconds to wait (at most 3600).") var seconds: Double

    package init() {}

    package func validate() throws {
        guard seconds >= 0 && seconds <= 3600 else { throw ValidationError("seconds must be between 0 and 3600") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        return MessageReport("")
    }
}
