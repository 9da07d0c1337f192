import Testing

/// One testbed for a whole suite: started before its first test, stopped after its last.
///
/// Starting nodes costs seconds; tests of one suite that use distinct profile paths can share
/// them. Tests read it with ``SharedTestbed/current``.
package struct SharedTestbed: SuiteTrait, TestScoping {
    /// The suite's testbed, inside a suite with the `.sharedTestbed(nodes:)` trait.
    @TaskLocal package static var current: Testbed?

    let nodes: Int

    package var isRecursive: Bool { false }

    package func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let testbed = try await Testbed.start(nodes: nodes)
        do {
            try await Self.$current.withValue(testbed) { try await function() }
        } catch {
            await testbed.stop()
            throw error
        }
        await testbed.stop()
    }

    /// The suite's testbed, or an error outside a suite with the trait.
    package static func require() throws -> Testbed {
        guard let current else { throw TestbedError(message: "the suite has no .sharedTestbed trait") }
        return current
    }
}

extension Trait where Self == SharedTestbed {
    /// Starts `nodes` testbed nodes once for the suite.
    package static func sharedTestbed(nodes: Int) -> Self { SharedTestbed(nodes: nodes) }
}

extension Testbed {
    /// The suite's shared testbed, or an error naming the missing trait (see ``SharedTestbed``).
    package static func shared() throws -> Testbed { try SharedTestbed.require() }
}
