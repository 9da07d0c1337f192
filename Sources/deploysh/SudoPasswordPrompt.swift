import Foundation
import Synchronization

/// Asks for a host's sudo password on the terminal (echo off), once per host, for
/// `interactiveSudo`; the password is kept in memory only and never printed or logged.
final class SudoPasswordPrompt: Sendable {
    private let passwords = Mutex<[String: String]>([:])

    /// The password for `host`, asking the first time; `nil` when there is no terminal.
    func password(for host: String) -> String? {
        if let known = passwords.withLock({ $0[host] }) { return known }
        guard isatty(STDIN_FILENO) == 1, let entered = getpass("[sudo] password for \(host): ") else { return nil }
        let password = String(cString: entered)
        passwords.withLock { $0[host] = password }
        return password
    }
}
