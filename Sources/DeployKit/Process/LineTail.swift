import DequeModule

/// The last N lines of a stream, kept in bounded memory.
///
/// Used for stderr tails: a long build can print megabytes, but an error message needs
/// only its end.
package struct LineTail: Sendable {
    package let capacity: Int
    private var lines = Deque<String>()

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    package mutating func append(_ line: String) {
        if lines.count == capacity { lines.removeFirst() }
        lines.append(line)
    }

    package var contents: [String] { Array(lines) }
}
