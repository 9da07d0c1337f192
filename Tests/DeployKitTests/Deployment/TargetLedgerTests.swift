import DeployTestSupport
import Testing

@testable import DeployKit

/// Small: what the ledger remembers for `undo`, from summaries alone.
@Suite struct TargetLedgerTests {
    static func deploy(_ target: DeployTarget, before: Int?, after: Int?) -> (DeployPlan, DeploySummary) {
        let plan = Planner.plan([target], options: DeployOptions())
        var record = TargetRecord(ref: target.ref, storePath: target.storePath)
        record.state = .confirmed
        record.beforeWasRead = true
        record.generationBefore = before
        record.generationAfter = after
        return (plan, DeploySummary(targets: [record]))
    }

    @Test func testATargetDeployedTwiceKeepsTheGenerationItHadBeforeTheSession() throws {
        let web = try PlannerTests.target("web", "system")
        let db = try PlannerTests.target("db", "system")
        var ledger = TargetLedger()
        for (target, before, after) in [(web, 3, 4), (db, nil, 1), (web, 4, 5)] {
            let (plan, summary) = Self.deploy(target, before: before, after: after)
            ledger.record(plan, summary)
        }
        #expect(ledger[web.ref]?.generationBeforeSession == .some(3))
        #expect(ledger[web.ref]?.generation == 5)
        #expect(ledger[db.ref]?.generationBeforeSession == .some(nil))
        // The latest change has the highest sequence: web (third), then db (second).
        #expect(ledger[web.ref]?.lastChange == 3)
        #expect(ledger[db.ref]?.lastChange == 2)
    }

    @Test func testAFailedActivationThatChangedNothingIsNotAChange() throws {
        let web = try PlannerTests.target("web", "system")
        var ledger = TargetLedger()
        var (plan, summary) = Self.deploy(web, before: 3, after: 3)
        summary.targets[0].state = .rolledBack
        ledger.record(plan, summary)
        #expect(ledger[web.ref]?.lastChange == nil)
        #expect(ledger[web.ref]?.generationBeforeSession == .some(3))
    }
}
