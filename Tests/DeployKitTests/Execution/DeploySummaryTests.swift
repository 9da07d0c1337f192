import Testing

@testable import DeployKit

/// Small: when a deploy counts as done as asked, and which error is shown as the cause.
@Suite struct DeploySummaryTests {
    static func row(_ node: String, _ state: TargetState, failure: DeployFailure? = nil) -> TargetRecord {
        var record = TargetRecord(ref: ProfileRef(node: node, profile: "p"), storePath: "/nix/store/x")
        record.state = state
        if let failure {
            record.error = DeployError(
                target: record.ref,
                step: .activate,
                reason: "\(node) failed",
                failure: failure,
                state: state
            )
        }
        return record
    }

    @Test func testOnlyConfirmedOrDryActivatedTargetsAsAskedSucceed() {
        let confirmed = DeploySummary(targets: [Self.row("a", .confirmed), Self.row("b", .activated)])
        #expect(confirmed.succeeded(options: DeployOptions()))
        #expect(!confirmed.succeeded(options: DeployOptions(mode: .dryActivate)))
        #expect(
            DeploySummary(targets: [Self.row("a", .dryActivated)]).succeeded(options: DeployOptions(mode: .dryActivate))
        )
        let pending = DeploySummary(targets: [Self.row("a", .pendingConfirm)])
        #expect(!pending.succeeded(options: DeployOptions()))
        #expect(pending.succeeded(options: DeployOptions(steps: .activate, confirm: false)))
        #expect(!DeploySummary(targets: [Self.row("a", .notStarted)]).succeeded(options: DeployOptions()))
        #expect(DeploySummary(targets: [Self.row("a", .built)]).succeeded(options: DeployOptions(steps: .build)))
        #expect(
            !DeploySummary(targets: [Self.row("a", .confirmed)], wasCancelled: true).succeeded(options: DeployOptions())
        )
    }

    @Test func testTheCauseIsTheFirstFailureThatIsNotAConsequence() {
        let summary = DeploySummary(targets: [
            Self.row("a", .rolledBack, failure: .otherTargetFailed),
            Self.row("b", .failed, failure: .activationFailed(status: 3)),
            Self.row("c", .notStarted),
        ])
        #expect(summary.firstError?.target.node == "b")
        let error = DeployRunError(summary: summary, cause: summary.firstError ?? InternalError("none"))
        #expect(error.message == "activate failed on b.p: b failed (and 1 more failed)")
    }
}
