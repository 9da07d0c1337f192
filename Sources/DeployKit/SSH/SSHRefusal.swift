/// Tells a connection the server closed before authentication (OpenSSH 9.8+'s
/// `PerSourcePenalties`, or `MaxStartups` under load) from a host that is down or refuses the key.
///
/// It exists because modern sshd penalizes a source address for a while after failed
/// connections (the lock-out a magic rollback catches is one): a new connection in that time is
/// closed at once, although the host is up. Those are worth a bounded retry; a refused port, a
/// timeout or a rejected key are answers and are not retried.
package enum SSHRefusal {
    /// Whether ssh's error lines say the server dropped the connection before authentication.
    package static func isTransient(_ lines: [String]) -> Bool {
        lines.contains { line in
            line.hasPrefix("kex_exchange_identification:")
                || (line.hasPrefix("Connection closed by ") && !line.contains("[preauth]"))
                || line.hasSuffix("Connection reset by peer")
        }
    }

    /// The waits between attempts: 1, 2, 4, 8 and 15 seconds (30 s in all), as long as `until`
    /// allows.
    package static func backoff(until deadline: ContinuousClock.Instant?) -> [Duration] {
        let waits: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(15)]
        guard let deadline else { return waits }
        var total = Duration.zero
        return waits.filter { wait in
            total += wait
            return ContinuousClock.now + total < deadline
        }
    }
}
