/// What the on-target activator answered: its machine lines (`deploysh:KEY=VALUE` on stdout),
/// read into typed fields once, with the command's result.
///
/// Everything for people went to stderr, so reading stdout cannot be confused by what an
/// activation script prints. Each key of the protocol is named once, in ``Key``.
package struct ActivatorReply: Sendable {
    /// The keys of the activator's machine lines (docs/testbed.md).
    package enum Key: String, Sendable {
        case result, generation, previous, canary, locked, status, timeout, current, last, lock, pending
        case profile
        case previousGeneration = "previous-generation"
        case profilePath = "profile-path"
        case confirmedBy = "confirmed-by"
        case deadlineLeft = "deadline-left"
        case installed
        case state
    }

    package var command: CommandResult
    /// Every machine line, in order.
    package var fields: [(key: String, value: String)]

    package init(_ command: CommandResult) {
        self.command = command
        self.fields = command.standardOutput.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("deploysh:"), let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[line.index(line.startIndex, offsetBy: 9)..<equals]
            return (String(key), String(line[line.index(after: equals)...]))
        }
    }

    /// The last value printed for `key`.
    package subscript(key: Key) -> String? {
        fields.last { $0.key == key.rawValue }?.value
    }

    /// Every value printed for `key`, in order.
    package func all(_ key: Key) -> [String] {
        all(named: key.rawValue)
    }

    /// The last value printed for a key by its name (for keys outside the protocol, in tests).
    subscript(named key: String) -> String? {
        fields.last { $0.key == key }?.value
    }

    /// Every value printed for a key by its name.
    func all(named key: String) -> [String] {
        fields.filter { $0.key == key }.map(\.value)
    }

    package var exitCode: Int32? { command.status.exitCode }

    /// The `result` line as a typed value; `nil` when there was none or it is not one deploysh knows.
    package var outcome: ActivatorResult? { self[.result].flatMap(ActivatorResult.init(rawValue:)) }

    /// The `result` line as printed (for messages about an answer deploysh does not know).
    package var outcomeText: String? { self[.result] }

    /// The generation the node reported last (`generation`).
    package var generation: Int? { self[.generation].flatMap { Int($0) } }

    /// The holder of the lock that refused this call (`locked`), when it was refused.
    package var lockHolder: String? { self[.locked] }

    /// The activation's exit status (`status`), when it failed.
    package var activationStatus: Int? { self[.status].flatMap { Int($0) } }

    /// The activation timeout that killed the activation (`timeout`), in seconds.
    package var timedOutAfter: Int? { self[.timeout].flatMap { Int($0) } }

    /// What the profile points to now (`current`), `nil` when nothing.
    package var currentPath: String? { self[.current].flatMap { $0.isEmpty ? nil : $0 } }

    /// The nonce of the confirmation the node recorded (`confirmed-by`).
    package var confirmedBy: String? { self[.confirmedBy] }
}

/// The `result` values of the activator's replies (docs/testbed.md).
package enum ActivatorResult: String, Sendable, Hashable {
    case activated
    case pending
    case confirmed
    case dryActivated = "dry-activated"
    case dryActivationFailed = "dry-activation-failed"
    case failed
    case rolledBack = "rolled-back"
    case rollbackFailed = "rollback-failed"
    case setFailed = "set-failed"
    case aborted
    case timeout
    case missing
    case lost
    case tempPathUnwritable = "temp-path-unwritable"
    case tempPathUnsafe = "temp-path-unsafe"
    case tempPathRelative = "temp-path-relative"
    case lockFailed = "lock-failed"
    case watchdogFailed = "watchdog-failed"
    case noPreviousGeneration = "no-previous-generation"
    case noSuchGeneration = "no-such-generation"
    case notInstalled = "not-installed"
    case idInUse = "id-in-use"
    /// `confirm`: the node records a confirmation by another nonce than this call's.
    case confirmedOther = "confirmed-other"
    /// `extend`: the watchdog has not armed the window (yet).
    case notPending = "not-pending"
}
