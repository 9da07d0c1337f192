import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The private directory of one deploysh process: ssh control sockets, connection logs and
/// the generated ssh wrapper (which holds every sshOpt, secrets included).
///
/// A predictable name in a shared directory could be planted by another user (root's ssh
/// would then use their control socket), so the directory is made by `mkdtemp` (a random
/// name, mode 0700) under `XDG_RUNTIME_DIR`, else `TMPDIR`, else `/tmp`, and only under a base
/// that no other user can replace entries of: one owned by the user and not writable by
/// group or others, or a sticky shared directory like `/tmp`. `Session.shutdown` removes it.
package enum RuntimeDirectory {
    /// Removes the directory `path` and what it holds; one `rmdir` when it is empty (the usual
    /// end of a session that connected nowhere).
    package static func remove(_ path: String) {
        if rmdir(path) != 0 { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The base directory `environment` points at: `XDG_RUNTIME_DIR`, `TMPDIR`, then `/tmp`.
    package static func base(environment: [String: String]) -> String {
        for key in ["XDG_RUNTIME_DIR", "TMPDIR"] {
            if let value = environment[key], !value.isEmpty {
                return value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
            }
        }
        return "/tmp"
    }

    /// Creates a new private directory `BASE/deploysh-XXXXXX` and returns its path.
    ///
    /// - Throws: `RuntimeDirectoryError` when the base is unsafe or the directory cannot be made.
    package static func create(under base: String) throws(RuntimeDirectoryError) -> String {
        if let problem = problem(withBase: base) { throw .unsafeBase(path: base, problem: problem) }
        var template = Array((base + "/deploysh-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) } != nil
        }
        guard made else { throw .cannotCreate(base: base, reason: String(cString: strerror(errno))) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
            info.st_mode & 0o077 == 0
        else {
            throw .cannotCreate(base: base, reason: "the new directory is not private")
        }
        return path
    }

    /// What makes `base` unsafe to hold the private directory, or `nil` when it is fine.
    package static func problem(withBase base: String) -> String? {
        var info = stat()
        guard stat(base, &info) == 0 else { return "does not exist" }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "is not a directory" }
        let sharedWrite = info.st_mode & 0o022 != 0
        let isSticky = info.st_mode & S_ISVTX != 0
        if info.st_uid == geteuid() {
            return sharedWrite && !isSticky ? "is writable by other users (\(mode(info)))" : nil
        }
        if info.st_uid == 0 && isSticky { return nil }  // a shared sticky directory such as /tmp
        return "is owned by another user (uid \(info.st_uid), \(mode(info)))"
    }

    private static func mode(_ info: stat) -> String {
        "mode " + String(info.st_mode & 0o7777, radix: 8)
    }
}
