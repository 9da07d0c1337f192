/// Runs external commands; the single door through which deploysh starts processes.
///
/// The engine depends on this protocol, so small tests can record plans without running
/// anything, while every real command goes through ``SubprocessRunner``.
package protocol CommandRunner: Sendable {
    /// Runs `invocation` to completion and returns its result; a non-zero exit is not an error.
    ///
    /// - Parameters:
    ///   - invocation: The command to run.
    ///   - onStandardErrorLine: Called with each line of standard error as it arrives (progress).
    /// - Throws: ``CommandFailure`` when the executable cannot be started or its output is too large.
    func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?
    ) async throws -> CommandResult
}

extension CommandRunner {
    package func run(_ invocation: Invocation) async throws -> CommandResult {
        try await run(invocation, onStandardErrorLine: nil)
    }
}
