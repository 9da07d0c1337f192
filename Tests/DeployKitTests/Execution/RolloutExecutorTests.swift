import DeployTestSupport
import Foundation
import Synchronization
import Testing

@testable import DeployKit

/// Small: staged rollouts and the health gate in a real ``Executor`` over ``FakeFleet``. Each
/// node's `cmd` health check is `probe NODE` (or `pre NODE` before the deploy); the test's
/// responder decides which nodes are healthy. Asserts states, order of activator calls and
/// batch events, never timing.
@Suite(.tags(.small), .timeLimit(.minutes(1))) struct RolloutExecutorTests {
    struct Run {
        var summary: DeploySummary
        var failed: Bool
        var calls: [String]
        var events: [DeployEvent]
        /// What ran, in order (``FakeFleet/step(of:)``): `build`, `HOST connect`, `HOST copy`, ….
        var steps: [String] = []
    }

    /// The hosts whose shared connection (`ssh -M`) was started, in order.
    final class Masters: Sendable {
        private let hosts = Mutex<[String]>([])
        func append(_ host: String) { hosts.withLock { $0.append(host) } }
        var all: [String] { hosts.withLock { $0 } }
    }

    /// A fake answer to `probe NODE` / `pre NODE`: healthy or not, per node and attempt.
    typealias Probe = @Sendable (_ kind: String, _ node: String, _ attempt: Int) -> Bool

    static func targets(
        _ fleet: FakeFleet,
        health: JSONObject,
        preDeploy: Bool
    ) throws -> [DeployTarget] {
        var nodes: JSONObject = [:]
        for node in fleet.nodes {
            var attributes: JSONObject = [
                "hostname": .string(node.hostname), "profiles": ["system": ["user": "root"]],
                "healthChecks": [["cmd": ["probe", .string(node.hostname)], "period": 0]],
            ]
            if preDeploy { attributes["preDeployChecks"] = [["cmd": ["pre", .string(node.hostname)]]] }
            nodes[node.hostname] = .object(attributes)
        }
        var deploy: JSONObject = ["sshUser": "root", "nodes": .object(nodes)]
        for (key, value) in health { deploy[key] = value }
        let config = try DeployConfig(json: .object(deploy))
        return try fleet.nodes.map { node in
            DeployTarget(
                resolved: try config.resolve(node: node.hostname, profile: "system", localUser: "me"),
                storePath: "/nix/store/new-\(node.hostname)",
                derivationPath: "/nix/store/new-\(node.hostname).drv"
            )
        }
    }

    static func deploy(
        _ fleet: FakeFleet,
        options: DeployOptions = DeployOptions(jobs: 1),
        health: JSONObject = ["healthTimeout": 0],
        preDeploy: Bool = false,
        extendWorks: Bool = false,
        atPause: (@Sendable (PausedRollout) -> Bool)? = nil,
        masters: Masters? = nil,
        probe: @escaping Probe
    ) async throws -> Run {
        let directory = try TestEnvironment.temporaryDirectory("rollout").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let attempts = Mutex<[String: Int]>([:])
        let runner = RecordingRunner { invocation in
            if let masters, invocation.arguments.contains("-M"), let step = fleet.step(of: invocation) {
                masters.append(String(step.prefix { $0 != " " }))
            }
            if invocation.executable == "ssh", let command = invocation.arguments.last,
                command.contains("'timeout'"), FakeFleet.activatorWords(of: invocation) == nil
            {
                let words = command.split(separator: " ").map { $0.replacing("'", with: "") }
                guard words.count >= 2 else { return RecordingRunner.Response(status: .exited(2)) }
                let kind = String(words[words.count - 2])
                let node = String(words[words.count - 1])
                let attempt = attempts.withLock { counts in
                    counts[kind + node, default: 0] += 1
                    return counts[kind + node] ?? 1
                }
                let healthy = probe(kind, node, attempt)
                return RecordingRunner.Response(
                    status: .exited(healthy ? 0 : 1),
                    standardOutput: healthy ? "active\n" : "HTTP 500 \u{1B}[31mbroken\n"
                )
            }
            if extendWorks, FakeFleet.activatorWords(of: invocation)?.first == "extend" {
                return RecordingRunner.Response(standardOutput: "deploysh:deadline-left=20\n")
            }
            return fleet.respond(to: invocation)
        }
        let remote = RemoteSession(runner: runner, controlDirectory: directory + "/ctl")
        let nix = NixCommand(version: .v2_8)
        let events = RecordedEvents()
        let executor = Executor(
            builder: Builder(runner: runner, nix: nix, remote: remote, events: events),
            copier: Copier(runner: runner, nix: nix, remote: remote, events: events),
            activation: ActivationFlow(runner: runner, remote: remote, events: events),
            remote: remote
        )
        let plan = Planner.plan(try targets(fleet, health: health, preDeploy: preDeploy), options: options)
        var run: Run
        do {
            if let atPause {
                // Like the shell: start, then at each pause resume (true) or abort (false).
                var progress = try await executor.start(plan)
                while case .paused(let paused) = progress {
                    guard atPause(paused) else { try await executor.abort(paused) }
                    progress = try await executor.resume(paused)
                }
                guard case .finished(let summary) = progress else { throw InternalError("unreachable") }
                run = Run(summary: summary, failed: false, calls: [], events: [])
            } else {
                run = Run(summary: try await executor.run(plan), failed: false, calls: [], events: [])
            }
        } catch let error as DeployRunError {
            run = Run(summary: error.summary, failed: true, calls: [], events: [])
        }
        await remote.shutdown()
        run.calls = fleet.activatorCalls(in: runner.invocations)
        run.events = events.all
        run.steps = runner.invocations.compactMap(fleet.step(of:))
        return run
    }

    static func states(_ summary: DeploySummary) -> [String] {
        summary.targets.map { "\($0.ref.node): \($0.state.rawValue)" }
    }

    static func batches(_ events: [DeployEvent]) -> [String] {
        events.compactMap(\.batch).map { "\($0.index) \($0.status) \($0.nodes.joined(separator: ","))" }
    }

    static func options(
        batches: String,
        maxFailures: String = "0",
        onFailure: Rollout.OnFailure = .rollbackAll,
        pauseAfter: [Int] = []
    ) throws -> DeployOptions {
        var options = DeployOptions(jobs: 1)
        options.rollout = Rollout.Overrides(
            batches: try Rollout.parseBatches(batches),
            maxFailures: try Rollout.parseBudget(maxFailures),
            onFailure: onFailure,
            pauseAfter: pauseAfter
        )
        return options
    }

    static let six = FakeFleet(["a", "b", "c", "d", "e", "f"].map { FakeNode($0) })

    @Test func testAPassingCheckConfirmsAndAFailingOneRollsBackAtOnce() async throws {
        let run = try await Self.deploy(FakeFleet([FakeNode("a"), FakeNode("b", generation: 7)])) { _, node, _ in
            node == "a"
        }
        #expect(Self.states(run.summary) == ["a: rolled back", "b: rolled back"])
        #expect(run.failed)
        // b's check failed: its pending activation was rolled back, never confirmed; a (activated
        // first) went back with it (deploy-rs's rollbackSucceeded).
        #expect(
            run.calls == [
                "a status", "a activate", "a confirm", "b status", "b activate", "b rollback", "a rollback",
            ]
        )
        let b = run.summary.targets[1]
        #expect(b.generationAfter == 7)
        #expect(b.error?.failure == .unhealthy(check: "cmd probe b", attempts: 1))
        #expect(b.error?.reason.contains("health check 'cmd probe b' did not pass within healthTimeout") == true)
        #expect(b.error?.reason.contains("\\x1b[31mbroken") == true)  // control characters made visible
        let health = run.events.compactMap(\.health)
        #expect(health.map(\.isHealthy) == [true, false])
    }

    @Test func testACheckThatPassesOnTheThirdAttemptIsConfirmed() async throws {
        let run = try await Self.deploy(FakeFleet([FakeNode("a")]), health: ["healthTimeout": 60]) { _, _, attempt in
            attempt >= 3
        }
        #expect(Self.states(run.summary) == ["a: confirmed"])
        #expect(run.summary.targets[0].health.map(\.attempts) == [3])
        #expect(run.events.compactMap(\.health).map(\.attempt) == [1, 2, 3])
    }

    @Test func testWhileChecksProgressTheWatchdogIsExtended() async throws {
        let run = try await Self.deploy(
            FakeFleet([FakeNode("a")]),
            health: ["healthTimeout": 60, "confirmTimeout": 5],
            extendWorks: true
        ) { _, _, attempt in attempt >= 3 }
        #expect(Self.states(run.summary) == ["a: confirmed"])
        #expect(run.calls.first { $0 == "a extend" } != nil)
        #expect(run.calls.last == "a confirm")
    }

    @Test func testWithoutExtendTheChecksEndBeforeTheWindowDoes() async throws {
        // The node's activator refuses `extend` (an older one): the window (5 s) is not pushed,
        // so the gate gives up before it closes, whatever healthTimeout says, and rolls back.
        let run = try await Self.deploy(
            FakeFleet([FakeNode("a")]),
            health: ["healthTimeout": 60, "confirmTimeout": 5]
        ) { _, _, attempt in attempt >= 3 }
        #expect(Self.states(run.summary) == ["a: rolled back"])
        #expect(run.calls == ["a status", "a activate", "a extend", "a rollback"])
    }

    @Test func testACheckThatTurnsRedDuringTheSoakRollsBack() async throws {
        let run = try await Self.deploy(FakeFleet([FakeNode("a")]), health: ["healthTimeout": 60, "healthSoak": 1]) {
            _,
            _,
            attempt in attempt == 1
        }
        #expect(Self.states(run.summary) == ["a: rolled back"])
        #expect(run.summary.targets[0].error?.reason.contains("turned red during the soak") == true)
        #expect(!run.calls.contains("a confirm"))
    }

    @Test func testWithSkipHealthChecksNothingIsChecked() async throws {
        var options = DeployOptions(jobs: 1)
        options.runsHealthChecks = false
        let run = try await Self.deploy(FakeFleet([FakeNode("a")]), options: options) { _, _, _ in false }
        #expect(Self.states(run.summary) == ["a: confirmed"])
        #expect(run.events.compactMap(\.health).isEmpty)
    }

    @Test func testAnUnhealthyCanaryStopsEveryOtherActivation() async throws {
        let run = try await Self.deploy(Self.six, options: try Self.options(batches: "1,100%")) { _, node, _ in
            node != "a"
        }
        #expect(
            Self.states(run.summary) == ["a: rolled back"] + ["b", "c", "d", "e", "f"].map { "\($0): not started" }
        )
        #expect(!run.calls.contains { $0.hasSuffix("activate") && !$0.hasPrefix("a ") })
        #expect(Self.batches(run.events) == ["0 started a", "0 failed a"])
        #expect(run.summary.targets.map(\.batch) == [0, 1, 1, 1, 1, 1])
    }

    @Test func testWithinTheBudgetTheRestIsDeployedAndTheDeployFails() async throws {
        let run = try await Self.deploy(Self.six, options: try Self.options(batches: "2,100%", maxFailures: "1")) {
            _,
            node,
            _ in node != "d"
        }
        #expect(
            Self.states(run.summary) == [
                "a: confirmed", "b: confirmed", "c: confirmed", "d: rolled back", "e: confirmed", "f: confirmed",
            ]
        )
        #expect(run.failed)
        #expect(Self.batches(run.events) == ["0 started a,b", "0 done a,b", "1 started c,d,e,f", "1 done c,d,e,f"])
    }

    @Test func testAnExceededBudgetRollsBackEverythingThisDeployActivated() async throws {
        let run = try await Self.deploy(Self.six, options: try Self.options(batches: "2,100%")) { _, node, _ in
            node != "d"
        }
        #expect(
            Self.states(run.summary) == [
                "a: rolled back", "b: rolled back", "c: rolled back", "d: rolled back", "e: not started",
                "f: not started",
            ]
        )
        #expect(run.summary.targets.prefix(4).map(\.generationAfter) == [3, 3, 3, 3])
        // Reverse activation order, after d's own immediate rollback.
        #expect(
            run.calls.filter { $0.hasSuffix("rollback") } == ["d rollback", "c rollback", "b rollback", "a rollback"]
        )
        #expect(Self.batches(run.events).last == "1 failed c,d,e,f")
    }

    @Test func testRollbackBatchReturnsOnlyTheFailedBatch() async throws {
        let run = try await Self.deploy(
            Self.six,
            options: try Self.options(batches: "2,100%", onFailure: .rollbackBatch)
        ) { _, node, _ in node != "d" }
        #expect(
            Self.states(run.summary) == [
                "a: confirmed", "b: confirmed", "c: rolled back", "d: rolled back", "e: not started",
                "f: not started",
            ]
        )
    }

    @Test func testHaltLeavesTheActivatedTargets() async throws {
        let run = try await Self.deploy(Self.six, options: try Self.options(batches: "2,100%", onFailure: .halt)) {
            _,
            node,
            _ in node != "d"
        }
        #expect(
            Self.states(run.summary) == [
                "a: confirmed", "b: confirmed", "c: confirmed", "d: rolled back", "e: not started",
                "f: not started",
            ]
        )
    }

    @Test func testAFailingPreDeployCheckSkipsTheNodeAndDeploysTheOthers() async throws {
        let run = try await Self.deploy(
            FakeFleet([FakeNode("a"), FakeNode("b"), FakeNode("c")]),
            health: ["healthTimeout": 5],
            preDeploy: true
        ) { kind, node, _ in kind != "pre" || node != "b" }
        #expect(Self.states(run.summary) == ["a: confirmed", "b: skipped", "c: confirmed"])
        #expect(!run.calls.contains { $0.hasPrefix("b ") && $0 != "b status" })
        #expect(run.summary.targets[1].error?.failure == .preDeployCheckFailed(check: "cmd pre b"))
        #expect(run.failed)
    }

    // MARK: - Connections

    @Test func testLaterBatchesConnectWhileTheCanaryRunsAndChangeNothingBeforeTheirBatch() async throws {
        let masters = Masters()
        // The canary's check passes only once every other node's connection was started: it
        // holds the canary's batch until the later batches connected, or fails it at healthTimeout.
        let run = try await Self.deploy(
            Self.six,
            options: try Self.options(batches: "1,2,100%"),
            health: ["healthTimeout": 10],
            masters: masters,
            probe: { _, node, _ in node != "a" || Set(masters.all).isSuperset(of: ["b", "c", "d", "e", "f"]) }
        )
        #expect(Self.states(run.summary) == "abcdef".map { "\($0): confirmed" })
        #expect(masters.all.count == 6, "one connection per node: \(masters.all)")
        let canaryConfirmed = try #require(run.steps.firstIndex(of: "a confirm"))
        // Nothing but the connection reaches a later node before its batch starts.
        for node in "bcdef" {
            let steps = run.steps.enumerated().filter { $0.element.hasPrefix("\(node) ") }
            #expect(steps.first?.element == "\(node) connect")
            #expect(steps.dropFirst().allSatisfy { $0.offset > canaryConfirmed }, "\(run.steps)")
        }
        #expect(
            Self.batches(run.events) == [
                "0 started a", "0 done a", "1 started b,c", "1 done b,c", "2 started d,e,f", "2 done d,e,f",
            ]
        )
    }

    @Test func testAConnectionFailingBeforeItsBatchFailsOnlyItsNodeInItsBatch() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b"), FakeNode("c", isReachable: false), FakeNode("d")])
        let run = try await Self.deploy(
            fleet,
            options: try Self.options(batches: "1,100%", maxFailures: "1"),
            probe: { _, _, _ in true }
        )
        #expect(Self.states(run.summary) == ["a: confirmed", "b: confirmed", "c: failed", "d: confirmed"])
        let error = try #require(run.summary.targets[2].error)
        #expect(error.failure == .unreachable)
        #expect(error.step == .connect)
        #expect(error.message.hasPrefix("connect failed on c.system: cannot connect to root@c (node 'c')"))
        #expect(Self.batches(run.events) == ["0 started a", "0 done a", "1 started b,c,d", "1 done b,c,d"])
        #expect(run.summary.targets[2].batch == 1)
    }

    // MARK: - Pauses

    @Test func testAPauseAfterTheCanaryStopsThenResumeRunsTheRest() async throws {
        let atPause = Mutex<[String]>([])
        let run = try await Self.deploy(
            Self.six,
            options: try Self.options(batches: "1,100%", pauseAfter: [0]),
            atPause: { paused in
                let counts = ["deployed \(paused.deployedNodeCount) of \(paused.plan.nodes.count)"]
                let waiting = ["waiting " + paused.waitingNodes.joined(separator: ",")]
                let batches: [String] = paused.summary.targets.map { "batch \($0.batch ?? -1)" }
                let seen: [String] =
                    Self.states(paused.summary) + ["after \(paused.batch)"] + counts + waiting + batches
                atPause.withLock { $0 = seen }
                return true
            },
            probe: { _, _, _ in true }
        )
        // The targets of later batches wait (their batch known), they are not "built" ones.
        let waiting: [String] = "bcdef".map { "\($0): waiting" }
        let seen: [String] = ["after 0", "deployed 1 of 6", "waiting b,c,d,e,f", "batch 0"]
        let expected: [String] = ["a: confirmed"] + waiting + seen + Array(repeating: "batch 1", count: 5)
        #expect(atPause.withLock { $0 } == expected)
        #expect(!run.failed)
        #expect(Self.states(run.summary) == "abcdef".map { "\($0): confirmed" })
        #expect(
            Self.batches(run.events) == [
                "0 started a", "0 done a", "0 paused a", "1 started b,c,d,e,f", "1 done b,c,d,e,f",
            ]
        )
    }

    @Test func testAbortAfterTheCanaryRollsTheCanaryBackAndLeavesTheOthers() async throws {
        let run = try await Self.deploy(
            Self.six,
            options: try Self.options(batches: "1,100%", pauseAfter: [0]),
            atPause: { _ in false },
            probe: { _, _, _ in true }
        )
        #expect(run.failed)
        #expect(Self.states(run.summary) == ["a: rolled back"] + "bcdef".map { "\($0): not started" })
        #expect(run.calls == ["a status", "a activate", "a confirm", "a rollback"])
    }

    @Test func testAbortWithHaltLeavesTheCanaryOnItsNewGeneration() async throws {
        let run = try await Self.deploy(
            Self.six,
            options: try Self.options(batches: "1,100%", onFailure: .halt, pauseAfter: [0]),
            atPause: { _ in false },
            probe: { _, _, _ in true }
        )
        #expect(run.failed)
        #expect(Self.states(run.summary) == ["a: confirmed"] + "bcdef".map { "\($0): not started" })
        #expect(!run.calls.contains("a rollback"))
    }

    @Test func testNoPauseAfterAnUnhealthyBatchOrTheLastOne() async throws {
        let pauses = Mutex(0)
        let run = try await Self.deploy(
            Self.six,
            options: try Self.options(batches: "1,100%", pauseAfter: [0, 1]),
            atPause: { _ in
                pauses.withLock { $0 += 1 }
                return true
            },
            probe: { _, node, _ in node != "a" }
        )
        #expect(pauses.withLock { $0 } == 0)
        #expect(run.failed)
        #expect(Self.batches(run.events) == ["0 started a", "0 failed a"])
    }
}
