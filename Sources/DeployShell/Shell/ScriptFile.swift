#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Reads a script file (`-f`, `source`) and says exactly why one cannot be used: missing,
/// not permitted, a directory, or not text (binary, or not UTF-8).
package enum ScriptFile {
    /// The script's text.
    ///
    /// - Throws: ``SessionError/cannotRead(file:reason:)`` naming the cause.
    package static func read(_ path: String) throws(SessionError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason =
                switch errno {
                case ENOENT, ENOTDIR: "no such file"
                case EACCES: "permission denied"
                default: String(cString: strerror(errno))
                }
            throw .cannotRead(file: path, reason: reason)
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw .cannotRead(file: path, reason: "it is a directory") }
        guard let handle = fopen(path, "rb") else {
            throw .cannotRead(
                file: path,
                reason: errno == EACCES ? "permission denied" : String(cString: strerror(errno))
            )
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count > 0 { bytes += buffer[0..<count] }
            if count < buffer.count { break }
        }
        if ferror(handle) != 0 { throw .cannotRead(file: path, reason: "read error") }
        if bytes.contains(0) {
            throw .cannotRead(file: path, reason: "it is a binary file, not a script (it contains NUL bytes)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .cannotRead(file: path, reason: "it is not UTF-8 text")
        }
        return text
    }
}
