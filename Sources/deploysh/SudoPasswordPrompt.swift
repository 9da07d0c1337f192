#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Asks for a host's sudo password on the terminal with echo off, for `interactiveSudo`
/// (the session asks once per host and keeps the answer in memory only).
struct SudoPasswordPrompt: Sendable {
    /// The password for `host`; `nil` when there is no terminal to ask on.
    func password(for host: String) -> String? {
        guard isatty(STDIN_FILENO) == 1, let entered = getpass("[sudo] password for \(host): ") else { return nil }
        return String(cString: entered)
    }
}
