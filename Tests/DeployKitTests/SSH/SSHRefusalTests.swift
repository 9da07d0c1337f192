import DeployTestSupport
import Testing

@testable import DeployKit

/// Small: which ssh failures are a server closing before authentication (retried), and which
/// are answers (a host down, a key refused: never retried).
@Suite(.tags(.small)) struct SSHRefusalTests {
    @Test(arguments: [
        (["kex_exchange_identification: read: Connection reset by peer"], true),
        (["kex_exchange_identification: Connection closed by remote host"], true),
        (["Connection closed by 127.0.0.1 port 22"], true),
        (["ssh: connect to host 127.0.0.1 port 22: Connection refused"], false),
        (["root@127.0.0.1: Permission denied (publickey)."], false),
        (["ssh: connect to host 10.0.0.1 port 22: Connection timed out"], false),
        ([String](), false),
    ])
    func testOnlyAServerClosingBeforeAuthenticationIsTransient(lines: [String], transient: Bool) {
        #expect(SSHRefusal.isTransient(lines) == transient)
    }

    @Test func testTheBackoffStaysWithinTheDeadline() {
        #expect(SSHRefusal.backoff(until: nil) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(15)])
        #expect(SSHRefusal.backoff(until: .now + .seconds(8)) == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(SSHRefusal.backoff(until: .now).isEmpty)
    }
}
