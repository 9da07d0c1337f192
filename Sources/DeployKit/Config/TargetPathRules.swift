/// The rules that keep profile names and users inside the profiles directory on the target.
///
/// A profile name or user becomes a path component there (`per-user/USER/NAME`), so a name
/// with `/`, one that is `.` or `..`, or one with NUL or control characters would reach
/// another directory (`../../../../tmp/escaped`); a leading `-` would read as an option of
/// the commands that get it. `profilePath` is normalised (`/./`, `//`, a trailing `/`) so that
/// one profile has one spelling, and must be absolute.
package enum TargetPathRules {
    /// What makes `name` unsafe as a profile name or user name, or `nil` when it is fine.
    package static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name == "." || name == ".." { return "is '\(name)', which names a directory on the target" }
        if name.utf8.contains(UInt8(ascii: "/")) {
            return "contains '/', so it would reach another directory on the target"
        }
        if name.utf8.first == UInt8(ascii: "-") {
            return "starts with '-', so commands on the target would read it as an option"
        }
        if Self.hasControlCharacter(name) {
            return "contains a control character"
        }
        return nil
    }

    /// What makes `name` unsafe as a `user` (a path component on the target, and ssh's user when
    /// `sshUser` is not set) or, with `isSSHUser`, as an `sshUser`; `nil` when it is fine.
    package static func userProblem(_ name: String, isSSHUser: Bool) -> String? {
        (isSSHUser ? SSHDestination.problem(with: name) : nil) ?? nameProblem(name)
    }

    /// Whether `text` holds a C0 or C1 control character or DEL (bytes first: names are mostly ASCII).
    static func hasControlCharacter(_ text: String) -> Bool {
        if DisplayText.isPrintableASCII(text) { return false }
        return text.unicodeScalars.contains(where: SSHDestination.isControl)
    }

    /// What is wrong with `path` as a `profilePath`, or `nil` when it can be normalised.
    package static func profilePathProblem(_ path: String) -> String? {
        if !path.hasPrefix("/") { return "is not an absolute path" }
        if Self.hasControlCharacter(path) {
            return "contains a control character"
        }
        if path.split(separator: "/").contains("..") {
            return "contains '..'; write the path without it"
        }
        return nil
    }

    /// `path` without `.` components, repeated `/` and a trailing `/`: `/nix/var//./x/` is `/nix/var/x`.
    ///
    /// Only meant for a path that `profilePathProblem` accepts; `..` is left as it is.
    package static func normalised(profilePath path: String) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return "/" + components.joined(separator: "/")
    }
}
