/// A shell-style name pattern for targets: `*` matches any run of characters, `?` exactly one.
///
/// Only these two wildcards exist (no character classes), which is all that selecting nodes
/// and profiles by name needs; every other character matches itself.
package struct Glob: Sendable, Hashable {
    package let pattern: String

    package init(_ pattern: String) {
        self.pattern = pattern
    }

    /// Whether `text` contains `*` or `?`, so it must be matched rather than looked up.
    package static func hasWildcards(_ text: String) -> Bool {
        text.contains("*") || text.contains("?")
    }

    /// Whether the whole of `name` matches the pattern.
    package func matches(_ name: String) -> Bool {
        // Unicode scalars, not Characters: names are matched exactly, never by canonical equivalence.
        let pattern = Array(pattern.unicodeScalars)
        let name = Array(name.unicodeScalars)
        var p = 0
        var n = 0
        var star: Int?
        var starMatch = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] && pattern[p] != "*" {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                starMatch = n
                p += 1
            } else if let star {
                // Let the last `*` swallow one more character and retry after it.
                p = star + 1
                starMatch += 1
                n = starMatch
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
