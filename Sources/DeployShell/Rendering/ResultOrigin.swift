import Synchronization

/// Which command, at which script location, produced the results being printed, for `--json`.
///
/// The interpreter sets it around each command it runs; the console reads it when it prints a
/// result or an error, so a result shown from inside a command (a deploy summary printed before
/// its error) carries it too. One per console, shared by its copies, like ``LiveDisplay``.
package final class ResultOrigin: Sendable {
    /// The command's name as typed (`nodes`), and where the script has it, if in a script.
    package struct Origin: Sendable, Hashable {
        package var command: String
        package var location: SourceLocation?

        package init(command: String, location: SourceLocation?) {
            self.command = command
            self.location = location
        }
    }

    private let current = Mutex<Origin?>(nil)

    package init() {}

    /// The command running now, if any.
    package var value: Origin? { current.withLock { $0 } }

    /// Runs `body` with `origin` as the current command, then restores the one before (nested `source`).
    @MainActor
    package func with<T>(_ origin: Origin?, _ body: () async throws -> T) async rethrows -> T {
        let saved = current.withLock { value in
            defer { value = origin }
            return value
        }
        defer { current.withLock { $0 = saved } }
        return try await body()
    }
}

/// A report as `--json` prints it: the report's own fields, then `command` and `location`.
///
/// Encoded into the same object, so existing fields stay where they were. A report whose JSON
/// is not an object is printed as it is.
struct LocatedReport: Encodable {
    var report: any Report
    var origin: ResultOrigin.Origin

    enum CodingKeys: String, CodingKey { case command, location }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(origin.command, forKey: .command)
        try container.encodeIfPresent(origin.location?.description, forKey: .location)
    }
}
