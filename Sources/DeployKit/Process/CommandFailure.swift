/// An external command that could not run or exited unsuccessfully, with what to show a person.
///
/// The layout follows SwiftPM's non-zero exit errors: a headline, the command line, its
/// stderr tail, then a hint.
package struct CommandFailure: UserFacingError, Hashable {
    package enum Kind: Hashable, Sendable {
        case executableNotFound
        case nonZeroExit(TerminationStatus)
        case outputLimitExceeded(bytes: Int)
        case couldNotStart(String)
    }

    package var kind: Kind
    /// What was being attempted, for example "nix eval failed for flake 'path:/x'".
    package var summary: String
    package var invocation: Invocation
    package var standardErrorTail: [String]
    package var hint: String?

    package init(
        _ kind: Kind,
        summary: String,
        invocation: Invocation,
        standardErrorTail: [String] = [],
        hint: String? = nil
    ) {
        self.kind = kind
        self.summary = summary
        self.invocation = invocation
        self.standardErrorTail = standardErrorTail
        self.hint = hint
    }

    /// A failure for a finished command whose status the caller judged unsuccessful.
    package init(_ result: CommandResult, summary: String, hint: String? = nil) {
        self.init(
            .nonZeroExit(result.status),
            summary: summary,
            invocation: result.invocation,
            standardErrorTail: result.standardErrorTail,
            hint: hint
        )
    }

    package var message: String {
        switch kind {
        case .executableNotFound: "\(summary): '\(invocation.executable)' was not found on PATH"
        case .nonZeroExit(let status): "\(summary) (\(status))"
        case .outputLimitExceeded(let bytes): "\(summary): output exceeded the limit of \(bytes) bytes"
        case .couldNotStart(let reason): "\(summary): could not start '\(invocation.executable)': \(reason)"
        }
    }

    package var details: [String] {
        ["$ " + invocation.commandLine] + standardErrorTail.suffix(12)
    }
}
