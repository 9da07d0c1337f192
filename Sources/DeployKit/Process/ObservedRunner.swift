/// A runner that tells an observer about every command just before it runs (`deploy -d`).
///
/// It wraps the real runner instead of changing it, so printing commands is a choice of the
/// executable and the engine stays unaware of it.
package struct ObservedRunner: CommandRunner {
    package var base: any CommandRunner
    package var willRun: @Sendable (Invocation) -> Void

    package init(_ base: any CommandRunner, willRun: @escaping @Sendable (Invocation) -> Void) {
        self.base = base
        self.willRun = willRun
    }

    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?
    ) async throws -> CommandResult {
        willRun(invocation)
        return try await base.run(invocation, onStandardErrorLine: onStandardErrorLine)
    }

    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?,
        onStandardOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws -> CommandResult {
        willRun(invocation)
        return try await base.run(
            invocation,
            onStandardErrorLine: onStandardErrorLine,
            onStandardOutput: onStandardOutput
        )
    }
}
