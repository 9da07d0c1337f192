#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Where the one-shot keeps each run's full logs when no `--log-dir` is given:
/// `STATE/logs/deploy-YYYYMMDD-HHMMSS-XXXX/NODE.log`.
///
/// It exists because the one-shot has no `show-log`: on a terminal a target's output shows
/// only as its last lines, and after the run the log is the only place to read all of it.
/// Run directories are named by their time (UTC), so sorting their names orders them, and
/// only the newest ones are kept.
package enum RunLogDirectory {
    /// Runs kept under `STATE/logs` (older ones are removed when a run starts).
    package static let kept = 20
    /// The prefix of every run directory; nothing else under `STATE/logs` is ever removed.
    static let prefix = "deploy-"

    /// Makes a new run directory under `stateDirectory` for a run started at `time`, and
    /// removes the oldest run directories so that `keeping` are left (this one included).
    ///
    /// - Returns: the new directory's path.
    /// - Throws: the file system's error when the directory cannot be made; pruning failures are ignored.
    package static func create(stateDirectory: String, at time: Date = Date(), keeping: Int = kept) throws -> String {
        let logs = stateDirectory + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        let name = prefix + stamp(time) + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
        let path = logs + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        prune(logs, keeping: keeping, besides: name)
        return path
    }

    /// Removes the oldest run directories of `logs` so that `keeping` are left, never `current`.
    private static func prune(_ logs: String, keeping: Int, besides current: String) {
        let runs = ((try? FileManager.default.contentsOfDirectory(atPath: logs)) ?? [])
            .filter { $0.hasPrefix(prefix) && $0 != current }
            .sorted()
        for old in runs.dropLast(max(0, keeping - 1)) {
            try? FileManager.default.removeItem(atPath: logs + "/" + old)
        }
    }

    /// `20270115-080000` (UTC) for a time.
    static func stamp(_ time: Date) -> String {
        var seconds = time_t(time.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return padded(parts.tm_year + 1900, 4) + padded(parts.tm_mon + 1, 2) + padded(parts.tm_mday, 2) + "-"
            + padded(parts.tm_hour, 2) + padded(parts.tm_min, 2) + padded(parts.tm_sec, 2)
    }

    /// Whether `directory` holds any log (a run that stopped before any command has none).
    package static func hasLogs(_ directory: String) -> Bool {
        !((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).isEmpty
    }
}

extension DeployRequest {
    /// This request with its logs kept: the `--log-dir` given, else a new run directory under
    /// `stateDirectory` (see ``RunLogDirectory``).
    ///
    /// - Throws: the file system's error when the run directory cannot be made.
    package func withRunLogDirectory(stateDirectory: String) throws -> DeployRequest {
        guard logDirectory == nil else { return self }
        var request = self
        request.logDirectory = try RunLogDirectory.create(stateDirectory: stateDirectory)
        return request
    }
}
