/// Why ssh could not connect, read from its error lines, so each cause gets the hint that fits it.
///
/// ssh exits 255 for every connection failure; only its stderr says whether the host key
/// changed, the key was refused, the host did not answer, its name did not resolve, or the
/// port was closed. This is the one place that reads those lines.
package enum SSHFailureCause: Sendable, Equatable {
    /// The host's key differs from the one in `known_hosts` ("REMOTE HOST IDENTIFICATION HAS CHANGED").
    case hostKeyChanged
    /// The host's key is not known and ssh was not allowed to ask ("Host key verification failed").
    case hostKeyUnknown
    /// The server refused every key or password offered ("Permission denied (publickey)").
    case authenticationRefused
    /// The host did not answer in time ("Connection timed out").
    case timedOut
    /// The host name did not resolve ("Could not resolve hostname").
    case nameNotResolved
    /// Nothing listens on the port ("Connection refused").
    case connectionRefused
    /// Anything else: ssh's own lines are shown.
    case other

    /// The cause that ssh's error `lines` name; the first line that names one wins.
    package init(_ lines: [String]) {
        let text = lines.joined(separator: "\n")
        if text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") {
            self = .hostKeyChanged
        } else if text.contains("Host key verification failed") || text.contains("No ED25519 host key is known")
            || text.contains("host key is known for")
        {
            self = .hostKeyUnknown
        } else if text.contains("Permission denied (") || text.contains("Too many authentication failures") {
            self = .authenticationRefused
        } else if text.contains("Could not resolve hostname") || text.contains("Name or service not known")
            || text.contains("Temporary failure in name resolution")
        {
            self = .nameNotResolved
        } else if text.contains("timed out") {
            self = .timedOut
        } else if text.contains("Connection refused") {
            self = .connectionRefused
        } else {
            self = .other
        }
    }

    /// The next step for this cause, naming the destination (`root@web1`) and its host.
    package func hint(destination: String, host: String) -> String {
        switch self {
        case .hostKeyChanged:
            "\(host)'s host key has changed since it was recorded in known_hosts: if the host was reinstalled, "
                + "remove the old key with `ssh-keygen -R \(host)`, then check and accept the new one with "
                + "`ssh \(destination)`."
        case .hostKeyUnknown:
            "ssh does not know \(host)'s host key: check and accept it once with `ssh \(destination)`, "
                + "or add it to known_hosts."
        case .authenticationRefused:
            "\(destination) refused every key ssh offered: check that your key is in that user's "
                + "authorized_keys on the node (try `ssh \(destination)`), or set `sshUser` or `sshOpts` (`-i KEY`)."
        case .timedOut:
            "\(host) did not answer in time: check that the host is up and that no firewall drops the ssh port."
        case .nameNotResolved:
            "'\(host)' does not resolve: check the node's `hostname` (a typo?) and your DNS."
        case .connectionRefused:
            "\(host) refused the connection: check that sshd runs there and listens on the port ssh used "
                + "(`-p` in `sshOpts`)."
        case .other:
            "Check that the host is up and reachable, and that `ssh \(destination)` works."
        }
    }
}

// MARK: - nix copy

extension SSHFailureCause {
    /// The hint for a failed `nix copy --to ssh://`: nix relays ssh's own lines, so the cause
    /// ssh gave gets its hint, as a failed connection's does; otherwise the store's access.
    package static func copyHint(_ lines: [String], profile: ResolvedProfile) -> String {
        let cause = SSHFailureCause(lines)
        guard cause != .other else {
            return "Check the ssh access and that the ssh user may write to the target's store (trusted-users)."
        }
        return cause.hint(destination: profile.sshDestination, host: profile.hostname)
    }
}
