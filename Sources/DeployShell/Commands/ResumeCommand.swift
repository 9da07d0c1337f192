import ArgumentParser
import DeployKit

/// `resume`: runs the next batches of the paused rollout (`deploy --pause-after`).
package struct ResumeCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Run the next batches of a rollout paused by `deploy --pause-after`.",
        discussion: "Same plan, options and failure budget; the targets already done count. Example: resume"
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        try await session.continueRollout(abort: false, command: "resume").summaryReport()
    }
}
