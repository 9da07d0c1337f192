import ArgumentParser
import DeployKit

/// A command of the shell language: parsed by ArgumentParser, run against a session.
///
/// Following SwiftPM's `run(_ state:)`, a command returns a ``Report`` instead of printing,
/// so the same command serves the REPL, scripts, `-c` and `--json`.
package protocol ShellCommand: ParsableCommand {
    /// Runs the command and returns what it found or did.
    @MainActor mutating func run(in session: Session) async throws -> any Report
}

extension ShellCommand {
    /// The name users type, from the command's configuration.
    package static var name: String { configuration.commandName ?? "" }
    package static var summary: String { configuration.abstract }
}
