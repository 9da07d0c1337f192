import ArgumentParser
import DeployKit

/// `quit` (or `exit`): leaves the shell.
///
/// In the REPL, with activations still waiting for `confirm`, the first `quit` only says which
/// ones and how long until their watchdogs roll them back; a second `quit` leaves.
package struct QuitCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "quit",
        abstract: "Leave the shell (Ctrl-D does too)."
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        if session.isInteractive, !session.wasWarnedAboutLeaving, let waiting = session.pendingWarning() {
            session.wasWarnedAboutLeaving = true
            return MessageReport(
                waiting + ". `confirm` or `rollback` first, or `quit` again to leave them to their watchdogs."
            )
        }
        session.wantsToQuit = true
        return MessageReport("")
    }
}
