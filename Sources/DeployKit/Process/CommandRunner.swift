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

    /// Runs `invocation` as `run(_:onStandardErrorLine:)` does, also handing its standard
    /// output to `onStandardOutput` in pieces, in order, as they arrive (`load` reads a large
    /// fleet while Nix still prints it). The result holds the whole output as well.
    func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?,
        onStandardOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws -> CommandResult
}

extension CommandRunner {
    package func run(_ invocation: Invocation) async throws -> CommandResult {
        try await run(invocation, onStandardErrorLine: nil)
    }

    /// Runners that cannot stream hand the whole output over at the end, in one piece.
    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?,
        onStandardOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws -> CommandResult {
        let result = try await run(invocation, onStandardErrorLine: onStandardErrorLine)
        onStandardOutput(Array(result.standardOutput.utf8))
        return result
    }
}
