import DeployKit

/// What a command returns: one value that renders as text for people and as JSON for machines.
///
/// Commands never print; returning a report keeps `--json`, scripts, the REPL and tests on
/// one path.
package protocol Report: Encodable, Sendable {
    /// The human rendering; an empty string prints nothing.
    func text(style: TextStyle) -> String
    /// Whether the command failed even though it produced a report (for example `check`
    /// finding errors); the script stops and the exit status is 1.
    var isFailure: Bool { get }
    /// What failed, in one line for the error a script prints at the command's location
    /// (`deploy.dsh:3:1: error: exec failed on 1 of 2 nodes: web2 (exit 1)`); `nil`: "CMD failed".
    var failureMessage: String? { get }
}

extension Report {
    package var isFailure: Bool { false }
    package var failureMessage: String? { nil }
}

/// A command that returned a failed report (not an error): what a script prints at its location.
///
/// Thrown errors carry their own message; a failed report says only what failed, since the report
/// itself, printed just above, has the details.
package struct CommandFailed: UserFacingError {
    package var command: String
    package var summary: String?

    package var message: String { summary ?? "\(command) failed" }
    package var hint: String? { nil }
}

/// A report that is just a message, for commands such as `set` and `echo`.
package struct MessageReport: Report {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package func text(style: TextStyle) -> String { message }
}

/// How text output may look: colour and width depend on the terminal, decided by the executable.
package struct TextStyle: Sendable, Hashable {
    package var usesColor: Bool
    package var isTerminal: Bool

    package init(usesColor: Bool = false, isTerminal: Bool = false) {
        self.usesColor = usesColor
        self.isTerminal = isTerminal
    }

    package static let plain = TextStyle()

    package func bold(_ text: String) -> String { usesColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    package func red(_ text: String) -> String { usesColor ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    package func green(_ text: String) -> String { usesColor ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    package func yellow(_ text: String) -> String { usesColor ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    package func dim(_ text: String) -> String { usesColor ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}
