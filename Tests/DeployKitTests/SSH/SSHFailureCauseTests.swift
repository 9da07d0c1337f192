import Testing

@testable import DeployKit

/// Small: ssh's error lines name the cause, and each cause has its own hint.
@Suite struct SSHFailureCauseTests {
    @Test(
        arguments: [
            (
                [
                    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
                    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
                    "Host key verification failed.",
                ],
                SSHFailureCause.hostKeyChanged
            ),
            (
                [
                    "No ED25519 host key is known for web1 and you have requested strict checking.",
                    "Host key verification failed.",
                ], .hostKeyUnknown
            ),
            (["root@web1: Permission denied (publickey)."], .authenticationRefused),
            (["ssh: connect to host 10.0.0.9 port 22: Connection timed out"], .timedOut),
            (["ssh: Could not resolve hostname web9: Name or service not known"], .nameNotResolved),
            (["ssh: connect to host 127.0.0.1 port 9: Connection refused"], .connectionRefused),
            (["mux_client_request_session: read from master failed: Broken pipe"], .other),
            ([], .other),
        ] as [([String], SSHFailureCause)]
    )
    func testTheCauseIsReadFromSSHsLines(lines: [String], cause: SSHFailureCause) {
        #expect(SSHFailureCause(lines) == cause)
    }

    @Test(arguments: [
        (
            SSHFailureCause.hostKeyChanged,
            "web1's host key has changed since it was recorded in known_hosts: if the host was reinstalled, "
                + "remove the old key with `ssh-keygen -R web1`, then check and accept the new one with `ssh root@web1`."
        ),
        (
            .hostKeyUnknown,
            "ssh does not know web1's host key: check and accept it once with `ssh root@web1`, or add it to known_hosts."
        ),
        (
            .authenticationRefused,
            "root@web1 refused every key ssh offered: check that your key is in that user's authorized_keys "
                + "on the node (try `ssh root@web1`), or set `sshUser` or `sshOpts` (`-i KEY`)."
        ),
        (.timedOut, "web1 did not answer in time: check that the host is up and that no firewall drops the ssh port."),
        (.nameNotResolved, "'web1' does not resolve: check the node's `hostname` (a typo?) and your DNS."),
        (
            .connectionRefused,
            "web1 refused the connection: check that sshd runs there and listens on the port ssh used (`-p` in `sshOpts`)."
        ),
        (.other, "Check that the host is up and reachable, and that `ssh root@web1` works."),
    ])
    func testEachCauseHasItsOwnHint(cause: SSHFailureCause, hint: String) {
        #expect(cause.hint(destination: "root@web1", host: "web1") == hint)
    }
}
