import Foundation

/// A snapshot of this host's processes from /proc: who is whose child, and in which group.
///
/// Process-safety tests use it to name every process a deployer started (its descendants and
/// their process groups) before killing the deployer, then to check none of them is left.
package struct ProcessTable: Sendable {
    /// One process: its id, parent, process group, start time (ticks since boot) and command line.
    package struct Entry: Sendable, Hashable {
        package var pid: Int32
        package var parent: Int32
        package var group: Int32
        package var start: String
        package var commandLine: String
        package var isZombie: Bool
    }

    package var entries: [Int32: Entry]

    /// Reads /proc now.
    package init() {
        var entries: [Int32: Entry] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in names {
            guard let pid = Int32(name), let entry = Self.read(pid) else { continue }
            entries[pid] = entry
        }
        self.entries = entries
    }

    static func read(_ pid: Int32) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let parent = Int32(fields[1]), let group = Int32(fields[2]) else { return nil }
        let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let commandLine = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        return Entry(
            pid: pid,
            parent: parent,
            group: group,
            start: String(fields[19]),
            commandLine: commandLine,
            isZombie: fields[0] == "Z" || fields[0] == "X"
        )
    }

    /// Every descendant of `root`, and every process in a group led by one of them.
    package func descendants(of root: Int32) -> [Entry] {
        var found: [Int32: Entry] = [:]
        var frontier = [root]
        while let next = frontier.popLast() {
            for entry in entries.values where entry.parent == next && found[entry.pid] == nil {
                found[entry.pid] = entry
                frontier.append(entry.pid)
            }
        }
        let groups = Set(found.values.map(\.group)).subtracting([entries[root]?.group ?? -1])
        for entry in entries.values where groups.contains(entry.group) { found[entry.pid] = entry }
        return Array(found.values)
    }

    /// Whether `entry` (same pid and start time) still runs.
    package static func isAlive(_ entry: Entry) -> Bool {
        guard let now = read(entry.pid) else { return false }
        return now.start == entry.start && !now.isZombie
    }
}
