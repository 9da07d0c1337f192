import ArgumentParser
import DeployKit

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
