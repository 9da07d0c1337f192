/// Waits for what a test expects to see, a bounded number of times: `condition` is checked, and
/// checked again every `interval`, at most `tries` times in all; returns whether it became true.
///
/// Tests assert on what they see (a profile back, a process gone), never on the clock; this is
/// the one loop that gives a node or a process time to get there.
@discardableResult
package func poll(
    tries: Int,
    every interval: Duration = .milliseconds(100),
    isolation: isolated (any Actor)? = #isolation,
    until condition: () async throws -> Bool
) async throws -> Bool {
    for attempt in 0..<tries {
        if try await condition() { return true }
        if attempt < tries - 1 { try await Task.sleep(for: interval) }
    }
    return false
}
