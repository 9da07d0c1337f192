/// What changes on a target: packages added, removed or changed version between two closures.
///
/// Computed from the store path names of both closures (like `nix store diff-closures`),
/// which works even though the old closure lives on the target and the new one locally.
package struct ClosureDiff: Sendable, Hashable, Codable {
    package struct Change: Sendable, Hashable, Codable {
        package var name: String
        package var before: [String]
        package var after: [String]
    }

    package var from: String?
    package var to: String
    package var added: [String]
    package var removed: [String]
    package var changed: [Change]

    /// Diffs two closures given as lists of store paths.
    package init(from: String?, to: String, before: [String], after: [String]) {
        self.from = from
        self.to = to
        let old = Self.versionsByName(before)
        let new = Self.versionsByName(after)
        added = new.keys.filter { old[$0] == nil }.sorted()
        removed = old.keys.filter { new[$0] == nil }.sorted()
        changed = new.keys.sorted().compactMap { name in
            guard let previous = old[name], let next = new[name], previous != next else { return nil }
            return Change(name: name, before: previous, after: next)
        }
    }

    package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// Splits `/nix/store/HASH-name-1.2` into `name` and `1.2` (a version starts with a digit).
    package static func nameAndVersion(_ path: String) -> (name: String, version: String) {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let withoutHash = base.split(separator: "-", maxSplits: 1).dropFirst().first.map(String.init) ?? base
        let parts = withoutHash.split(separator: "-", omittingEmptySubsequences: false)
        if let index = parts.firstIndex(where: { $0.first?.isNumber == true }), index > 0 {
            return (parts[..<index].joined(separator: "-"), parts[index...].joined(separator: "-"))
        }
        return (withoutHash, "")
    }

    private static func versionsByName(_ paths: [String]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for path in paths where !path.isEmpty {
            let (name, version) = nameAndVersion(path)
            result[name, default: []].append(
                version.isEmpty ? path.split(separator: "/").last.map(String.init) ?? "" : version
            )
        }
        return result.mapValues { $0.sorted() }
    }
}
