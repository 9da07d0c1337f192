import ArgumentParser
import DeployKit

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
