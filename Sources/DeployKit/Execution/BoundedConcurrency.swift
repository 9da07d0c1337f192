/// Runs an async body for each element with at most `limit` running at once.
///
/// The executor's one concurrency primitive: nodes, remote builds and `exec` all go through it.
package enum BoundedConcurrency {
    /// Calls `body` for every element, at most `limit` at a time, in order of starting.
    ///
    /// Elements not started when the calling task is cancelled are skipped.
    /// - Throws: `CancellationError` when cancelled before every element started.
    package static func forEach<Element: Sendable>(
        _ elements: [Element],
        limit: Int,
        _ body: @escaping @Sendable (Element) async -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for element in elements {
                if running >= max(1, limit) {
                    _ = try await group.next()
                    running -= 1
                }
                try Task.checkCancellation()
                group.addTask { await body(element) }
                running += 1
            }
            try await group.waitForAll()
        }
    }
}
