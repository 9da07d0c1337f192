/// What an external command did: its status, output, stderr tail and duration.
///
/// A non-zero exit is a result, not an error; the caller decides what it means.
package struct CommandResult: Hashable, Sendable {
    package var invocation: Invocation
    package var status: TerminationStatus
    package var standardOutput: String
    /// The last lines of standard error (bounded), for error messages.
    package var standardErrorTail: [String]
    package var duration: Duration

    package init(
        invocation: Invocation,
        status: TerminationStatus,
        standardOutput: String,
        standardErrorTail: [String],
        duration: Duration
    ) {
        self.invocation = invocation
        self.status = status
        self.standardOutput = standardOutput
        self.standardErrorTail = standardErrorTail
        self.duration = duration
    }

    package var succeeded: Bool { status == .exited(0) }
}

/// How a child process ended, including being cancelled by the user (Ctrl-C).
package enum TerminationStatus: Hashable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    case cancelled

    package var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .cancelled: "cancelled"
        }
    }

    /// The exit code when the process exited normally.
    package var exitCode: Int32? {
        if case .exited(let code) = self { return code }
        return nil
    }
}
