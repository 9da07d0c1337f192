/// Finds the existing names nearest to a mistyped one, for "Did you mean …?" hints.
///
/// Used for nodes, profiles, settings, schema attributes and command names. A candidate is
/// close when its case-insensitive Levenshtein distance is at most `max(2, length / 3)` of the
/// typed name, or when one is a prefix of the other (case-insensitive).
package enum NameSuggestions {
    /// Up to `limit` candidates nearest to `name`, nearest first (ties by name).
    ///
    /// A candidate spelled exactly like `name` is not suggested.
    package static func nearest(to name: String, in candidates: [String], limit: Int = 2) -> [String] {
        guard !name.isEmpty, limit > 0 else { return [] }
        let typed = Array(name.lowercased())
        let threshold = max(2, typed.count / 3)
        var scored: [(distance: Int, name: String)] = []
        for candidate in Set(candidates) where candidate != name {
            let lowered = candidate.lowercased()
            let distance = levenshtein(typed, Array(lowered))
            let isPrefix = lowered.hasPrefix(String(typed)) || (!lowered.isEmpty && String(typed).hasPrefix(lowered))
            if distance <= threshold || isPrefix { scored.append((distance, candidate)) }
        }
        scored.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return scored.prefix(limit).map(\.name)
    }

    /// The edit distance (insertions, deletions, substitutions) between `a` and `b`.
    package static func levenshtein(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
