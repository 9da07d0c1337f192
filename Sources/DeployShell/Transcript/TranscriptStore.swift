import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The directory of session transcripts, `${XDG_STATE_HOME:-~/.local/state}/deploysh/sessions`:
/// creating one per session, listing, reading and keeping it bounded.
///
/// It exists so that the executable (writing) and the `sessions` and `undo --session` commands
/// (reading) agree on names, permissions and bounds. The directory is 0700 and each file 0600,
/// created with `O_EXCL` (a name is never reused or followed through a planted link). File names
/// are `ID.jsonl`, where the ID sorts by start time: `20261207T233000Z-ab12cd`.
package struct TranscriptStore: Sendable {
    /// The defaults of the bounds: the newest 100 sessions, at most 50 MB together.
    package static let defaultSessions = 100
    package static let defaultMegabytes = 50

    package var directory: String
    /// Sessions kept (the newest); 0 turns transcripts off.
    package var keepSessions = defaultSessions
    /// Bytes kept, newest sessions first (the current session is always kept).
    package var keepBytes = defaultMegabytes << 20

    package init(stateDirectory: String) {
        directory = stateDirectory + "/sessions"
    }

    /// The store for `environment`: its state directory, with the bounds of
    /// `DEPLOYSH_TRANSCRIPT_SESSIONS` and `DEPLOYSH_TRANSCRIPT_MB` when set to whole numbers.
    package init(stateDirectory: String, environment: [String: String]) {
        self.init(stateDirectory: stateDirectory)
        if let text = environment["DEPLOYSH_TRANSCRIPT_SESSIONS"], let value = Int(text), value >= 0 {
            keepSessions = value
        }
        if let text = environment["DEPLOYSH_TRANSCRIPT_MB"], let value = Int(text), value >= 0 {
            keepBytes = value << 20
        }
    }

    /// Whether sessions write transcripts at all (`DEPLOYSH_TRANSCRIPT_SESSIONS=0` turns them off).
    package var isEnabled: Bool { keepSessions > 0 }

    // MARK: - Writing

    /// Creates the transcript file of a new session (0600, `O_EXCL`), making the directory
    /// (0700) when needed, then removes the oldest sessions beyond the bounds.
    ///
    /// - Throws: ``TranscriptError/cannotCreate(path:reason:)`` naming the path.
    package func create(now: Double = Transcript.now) throws -> Transcript {
        try makeDirectory()
        for _ in 0..<5 {
            let id = Self.newID(time: now)
            let path = self.path(of: id)
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd >= 0 {
                prune(keeping: id)
                return Transcript(id: id, path: path, descriptor: fd)
            }
            if errno != EEXIST { throw TranscriptError.cannotCreate(path: path, reason: Self.reason(errno)) }
        }
        throw TranscriptError.cannotCreate(path: directory, reason: "no free name")
    }

    /// Makes the state directory (0700, as the XDG spec asks) and `sessions` in it (0700); an
    /// existing `sessions` directory is made private again if it is ours.
    private func makeDirectory() throws {
        let parent = Self.parent(of: directory)
        var components: [String] = []
        var current = parent
        while !current.isEmpty, current != "/", access(current, F_OK) != 0 {
            components.append(current)
            current = Self.parent(of: current)
        }
        for path in components.reversed() where mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw TranscriptError.cannotCreate(path: path, reason: Self.reason(errno))
        }
        if mkdir(directory, 0o700) != 0 {
            guard errno == EEXIST else {
                throw TranscriptError.cannotCreate(path: directory, reason: Self.reason(errno))
            }
            var info = stat()
            guard lstat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else {
                throw TranscriptError.cannotCreate(path: directory, reason: "not a directory of this user")
            }
            if info.st_mode & 0o077 != 0 { chmod(directory, 0o700) }
        }
    }

    /// `YYYYMMDDTHHMMSSZ-xxxxxx`: the UTC start time and 6 random hex digits.
    package static func newID(time: Double) -> String {
        var seconds = time_t(time)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        let clock = "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
        let random = (0..<6).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        return "\(date)T\(clock)Z-\(random)"
    }

    // MARK: - Reading

    package func path(of id: String) -> String { directory + "/" + id + ".jsonl" }

    /// Every session's id, oldest first.
    package func ids() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.map { String($0.dropLast(6)) }.sorted()
    }

    /// The full id for `text`: an id, a unique prefix of one, or `last` (the newest other than `current`).
    ///
    /// - Throws: ``TranscriptError/unknownSession(_:suggestions:)``.
    package func resolve(_ text: String, current: String? = nil) throws -> String {
        let all = ids()
        if text == "last", let last = all.last(where: { $0 != current }) { return last }
        if all.contains(text) { return text }
        let matches = all.filter { $0.hasPrefix(text) }
        if matches.count == 1 { return matches[0] }
        throw TranscriptError.unknownSession(text, suggestions: Array(matches.suffix(3)))
    }

    /// The lines of session `id`; a line that does not parse (the last one, cut by a crash) is skipped.
    ///
    /// - Throws: ``TranscriptError/cannotRead(path:reason:)``.
    package func read(_ id: String) throws -> [TranscriptLine] {
        let path = self.path(of: id)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TranscriptError.cannotRead(path: path, reason: Self.reason(errno))
        }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            try? decoder.decode(TranscriptLine.self, from: Data(line))
        }
    }

    // MARK: - Bounds

    /// Removes the oldest transcripts beyond ``keepSessions`` or ``keepBytes``, never `current`.
    package func prune(keeping current: String) {
        var kept = 0
        var bytes = 0
        for id in ids().reversed() {
            var info = stat()
            let size = stat(path(of: id), &info) == 0 ? Int(info.st_size) : 0
            kept += 1
            bytes += size
            if id != current, kept > keepSessions || bytes > keepBytes {
                unlink(path(of: id))
            }
        }
    }

    /// `path` without its last component (`/` for a top-level path).
    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}

/// A transcript that cannot be written or read, or a session id that names none.
package enum TranscriptError: UserFacingError, Equatable {
    case cannotCreate(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case unknownSession(String, suggestions: [String])

    package var message: String {
        switch self {
        case .cannotCreate(let path, let reason): "cannot create the session transcript '\(path)': \(reason)"
        case .cannotRead(let path, let reason): "cannot read the session transcript '\(path)': \(reason)"
        case .unknownSession(let id, let matches) where !matches.isEmpty: "session id '\(id)' is ambiguous"
        case .unknownSession(let id, _): "no session '\(id)'"
        }
    }

    package var hint: String? {
        switch self {
        case .cannotCreate: "Check that the state directory is writable, or set XDG_STATE_HOME."
        case .cannotRead: "Run `sessions` to list the transcripts that exist."
        case .unknownSession(_, let matches) where !matches.isEmpty:
            "It matches \(matches.map { "'\($0)'" }.joined(separator: ", ")); give more of it."
        case .unknownSession: "Run `sessions` to list the sessions."
        }
    }
}
