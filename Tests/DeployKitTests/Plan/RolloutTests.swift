import Testing

@testable import DeployKit

@Suite struct RolloutTests {
    private func sizes(_ batches: String, _ count: Int) throws -> [Int] {
        try Rollout(batches: Rollout.parseBatches(batches)).split(Array(0..<count)).map(\.count)
    }

    @Test func testBatchesFollowAnsiblesSerialRules() throws {
        #expect(try sizes("1,25%,100%", 16) == [1, 4, 11])
        #expect(try sizes("1,100%", 6) == [1, 5])
        #expect(try sizes("2", 5) == [2, 2, 1])  // the last entry repeats
        #expect(try sizes("10%", 3) == [1, 1, 1])  // a percentage is at least one node
        #expect(try sizes("2,100%", 6) == [2, 4])
        #expect(try sizes("5", 2) == [2])
        #expect(Rollout().split([1, 2, 3]) == [[1, 2, 3]])  // no batches: one batch, as before
    }

    @Test func testNodesKeepSelectionOrderSoTheFirstBatchIsTheCanary() throws {
        let rollout = Rollout(batches: try Rollout.parseBatches("1,2"))
        #expect(rollout.split(["c", "a", "b", "d"]) == [["c"], ["a", "b"], ["d"]])
    }

    @Test func testTheBudgetMustBeExceededNotReached() throws {
        #expect(!Rollout.FailureBudget.count(1).isExceeded(failures: 1, of: 6))
        #expect(Rollout.FailureBudget.count(1).isExceeded(failures: 2, of: 6))
        #expect(Rollout.FailureBudget.count(0).isExceeded(failures: 1, of: 6))
        #expect(!Rollout.FailureBudget.percent(50).isExceeded(failures: 3, of: 6))
        #expect(Rollout.FailureBudget.percent(50).isExceeded(failures: 4, of: 6))
        #expect(try Rollout.parseBudget("10%") == .percent(10))
        #expect(try Rollout.parseBudget("3") == .count(3))
    }

    @Test(arguments: [
        ("0", "--batches '0': a batch must have at least 1 node, not 0"),
        ("150%", "--batches '150%': a percentage must be from 1% to 100%, not 150%"),
        ("1,x", "--batches '1,x': 'x' is neither a count nor a percentage"),
        ("", "--batches '': no batch given"),
        ("1,,2", "--batches '1,,2': '' is neither a count nor a percentage"),
    ])
    func testBadBatchesNameTheFlag(text: String, message: String) {
        #expect(throws: RolloutError.self) { try Rollout.parseBatches(text) }
        do {
            _ = try Rollout.parseBatches(text)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func testBadBudgetsRulesAndPausesNameTheFlag() throws {
        #expect(throws: RolloutError.self) { try Rollout.parseBudget("many") }
        #expect(throws: RolloutError.self) { try Rollout.parseBudget("-1") }
        #expect(throws: RolloutError.self) { try Rollout.parseBudget("101%") }
        #expect(throws: RolloutError.self) { try Rollout.parsePauseAfter("a") }
        do {
            _ = try Rollout.parseOnFailure("rollback-al")
            Issue.record("accepted a bad rule")
        } catch {
            #expect(error.message == "--on-failure 'rollback-al': unknown rule; did you mean 'rollback-all'?")
        }
        #expect(try Rollout.parseOnFailure("rollback-batch") == .rollbackBatch)
        #expect(try Rollout.parsePauseAfter("0,2") == [0, 2])
    }

    @Test func testTheFlakesRolloutIsRead() throws {
        let rollout = try Rollout(json: [
            "batches": [1, "25%", "100%"], "maxFailures": 1, "onFailure": "rollback-batch", "pauseAfter": 0,
        ])
        #expect(rollout.batches == [.count(1), .percent(25), .percent(100)])
        #expect(rollout.maxFailures == .count(1) && rollout.onFailure == .rollbackBatch && rollout.pauseAfter == [0])
        #expect(throws: RolloutError.self) { try Rollout(json: ["batchs": [1]]) }
    }
}
