import Testing

/// One testbed for a whole suite: started before its first test, stopped after its last.
///
/// Starting nodes costs seconds on this 2-core machine, so a `.serialized` suite whose tests
/// can share nodes declares `.sharedTestbed(nodes:)` and reads ``Testbed/shared`` in each test.
package struct SharedTestbedTrait: SuiteTrait, TestScoping {
    package let nodes: Int

    package var isRecursive: Bool { false }

    package func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let testbed = try await Testbed.start(nodes: nodes)
        do {
            try await Testbed.$current.withValue(testbed) { try await function() }
        } catch {
            await testbed.stop()
            throw error
        }
        await testbed.stop()
    }
}

extension Trait where Self == SharedTestbedTrait {
    /// Runs the suite's tests on one testbed of `nodes` nodes.
    package static func sharedTestbed(nodes: Int) -> Self { SharedTestbedTrait(nodes: nodes) }
}

extension Testbed {
    /// The suite's shared testbed (see ``SharedTestbedTrait``).
    @TaskLocal package static var current: Testbed?

    /// The suite's shared testbed, or an error naming the missing trait.
    package static func shared() throws -> Testbed {
        guard let current else { throw TestbedError(message: "the suite has no .sharedTestbed(nodes:) trait") }
        return current
    }
}
