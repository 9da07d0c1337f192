import ArgumentParser
import DeployKit

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
