import ArgumentParser
import DeployKit

/// `quit` (or `exit`): leaves the shell.
///
/// In the REPL, with activations still waiting for `confirm`, the first `quit` only says which
/// ones and how long until their watchdogs roll them back; with a paused rollout, which nodes
/// were deployed and which not; a second `quit` leaves.
package struct QuitCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "quit",
        abstract: "Leave the shell (Ctrl-D does too)."
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        if session.isInteractive, !session.wasWarnedAboutLeaving {
            let warnings = [
                session.pendingWarning().map {
                    $0 + ". `confirm` or `rollback` first, or `quit` again to leave them to their watchdogs."
                },
                session.pausedWarning(.quit),
            ].compactMap { $0 }
            if !warnings.isEmpty {
                session.wasWarnedAboutLeaving = true
                return MessageReport(warnings.joined(separator: "\n"))
            }
        }
        session.wantsToQuit = true
        return MessageReport("")
    }
}
