import DeployTestSupport
import Testing

@testable import DeployKit

/// Small: the undo plan gives each target its own generation, newest change first.
@Suite struct PlannerUndoTests {
    @Test func testEachTargetGoesBackToItsOwnGenerationNewestChangeFirst() throws {
        let plan = Planner.undo(
            [
                (try PlannerTests.target("b", "system"), 4), (try PlannerTests.target("a", "system"), 1),
                (try PlannerTests.target("b", "app"), 7),
            ],
            jobs: 2
        )
        #expect(plan.nodes.map(\.name) == ["b", "a"])
        #expect(plan.nodes[0].targets.map(\.ref.profile) == ["system", "app"])
        #expect(
            plan.targets.map(\.steps) == [
                [.rollback(to: 4, pending: nil)], [.rollback(to: 7, pending: nil)], [.rollback(to: 1, pending: nil)],
            ]
        )
        #expect(plan.options.keepGoing && !plan.options.rollbackSucceeded && plan.options.jobs == 2)
    }
}
