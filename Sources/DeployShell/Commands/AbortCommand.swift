import ArgumentParser
import DeployKit

/// `abort`: ends the paused rollout (`deploy --pause-after`) with its on-failure rule.
package struct AbortCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "End a rollout paused by `deploy --pause-after`, applying its on-failure rule.",
        discussion:
            "rollback-all and rollback-batch return what the deploy activated to its generation before it, "
            + "in reverse order; halt leaves it. Example: abort"
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        try await session.continueRollout(abort: true, command: "abort").summaryReport()
    }
}
