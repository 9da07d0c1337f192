import DeployKit
import DeployShell
import Foundation
import Testing

/// `status` shows a confirm countdown only while the target is still pending.
@Suite struct TargetStatusTests {
    @Test func testTheCountdownShowsOnlyWhilePending() throws {
        var status = TargetStatus(ref: ProfileRef(node: "web1", profile: "lockout"), state: .pendingConfirm)
        status.confirmDeadline = ContinuousClock.now + .seconds(30)
        #expect(status.stateText.hasPrefix("pending confirm ("))
        #expect(status.stateText.hasSuffix(" s left to confirm)"))
        status.state = .rolledBack
        #expect(status.stateText == "rolled back")
        let json = String(decoding: try JSONEncoder().encode(status), as: UTF8.self)
        #expect(!json.contains("secondsLeft"))
    }
}
