#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// File-name completion for `load` and `source`: the entries of the directory the word names.
///
/// Relative words are read against the working directory, as the commands read them. A flake
/// reference's `path:` prefix is kept. Hidden entries are offered only when the word's last part
/// starts with `.`.
enum PathCompletion {
    /// Candidates that start with `word`; a directory ends with `/`.
    static func candidates(for word: String) -> [String] {
        let scheme = word.hasPrefix("path:") ? "path:" : ""
        let path = String(word.dropFirst(scheme.count))
        let directoryPart = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let namePrefix = String(path.dropFirst(directoryPart.count))
        let directory = directoryPart.isEmpty ? "." : directoryPart
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { entry in
            entry.hasPrefix(namePrefix) && (namePrefix.hasPrefix(".") || !entry.hasPrefix("."))
        }
        .map { entry in
            scheme + directoryPart + entry + (isDirectory(directory + "/" + entry) ? "/" : "")
        }
        .sorted()
    }

    /// Whether `path` is a directory, following a symbolic link as `load` would.
    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
