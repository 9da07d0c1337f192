#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Makes every child of deploysh, and everything it starts, die with deploysh, even after SIGKILL.
///
/// swift-subprocess 1.0.2 offers no pre-exec hook on Linux (`preSpawnProcessConfigurator` is
/// Darwin/Windows only), so `PR_SET_PDEATHSIG` is set by util-linux's `setpriv --pdeathsig`,
/// which then runs a small `sh` guard as the leader of the child's own process group. When
/// deploysh dies (the kernel signals the guard) or a teardown reaches it, the guard ends its
/// whole group: the command and its own children (`nix copy`'s ssh), first with SIGTERM, then
/// SIGKILL. Otherwise it waits for the command and exits as it did. Without `setpriv` the
/// command runs unguarded: directly, in its own process group.
///
/// The parent that PR_SET_PDEATHSIG watches is the spawning *thread*; swift-subprocess spawns
/// from one worker thread that lives as long as the process, so the signal means "deploysh died".
package enum ChildGuard {
    /// The guard program: `sh -c GUARD deploysh-guard COMMAND ARGS...`.
    static let script = """
        trap 'trap "" INT TERM; kill -TERM 0 2>/dev/null; sleep 0.3; kill -KILL 0' INT TERM
        exec 3<&0
        "$@" <&3 3<&- &
        wait "$!"
        status=$?
        if [ "$status" -gt 128 ] && [ "$status" -lt 160 ]; then
            trap - INT TERM
            kill -s "$(kill -l "$status")" "$$" 2>/dev/null
        fi
        exit "$status"
        """

    /// `setpriv`, when this host has it.
    static let setpriv: String? = ["/usr/bin/setpriv", "/bin/setpriv"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The executable and arguments that run `path ARGUMENTS` under the guard.
    ///
    /// A `path` that is not absolute (not found on PATH) is left alone, so the runner still
    /// reports "not found" for it.
    package static func wrap(_ path: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        guard path.hasPrefix("/"), let setpriv else { return (path, arguments) }
        return (setpriv, ["--pdeathsig", "TERM", "--", "/bin/sh", "-c", script, "deploysh-guard", path] + arguments)
    }
}
