import DeployTestSupport
import Foundation
import Synchronization
import Testing

@testable import DeployKit

/// Small: a real ``Executor`` (builder, copier, activation flow, ssh session) over a recording
/// runner whose nodes are scripted by ``FakeFleet``; asserts the typed summary and the order of
/// what ran, never timing.
@Suite(.tags(.small), .timeLimit(.minutes(1))) struct ExecutorTests {
    /// A deploy of `system` (and `extraProfiles`) on every node of `fleet`, run to its end.
    struct Run {
        var summary: DeploySummary
        var error: DeployRunError?
        var invocations: [Invocation]
    }

    /// The plan's targets: one `system` profile per node (plus `extraProfiles`), as root.
    static func targets(
        _ fleet: FakeFleet,
        extraProfiles: [String: [String]] = [:],
        users: [String: String] = [:]
    ) throws -> [DeployTarget] {
        var nodes: JSONObject = [:]
        for node in fleet.nodes {
            var profiles: JSONObject = ["system": ["user": .string(users[node.hostname] ?? "root")]]
            for name in extraProfiles[node.hostname] ?? [] { profiles[name] = ["user": "root"] }
            nodes[node.hostname] = ["hostname": .string(node.hostname), "profiles": .object(profiles)]
        }
        let config = try DeployConfig(json: ["sshUser": "root", "nodes": .object(nodes)])
        return try fleet.nodes.flatMap { node in
            try (["system"] + (extraProfiles[node.hostname] ?? [])).map { profile in
                let resolved = try config.resolve(node: node.hostname, profile: profile, localUser: "me")
                return DeployTarget(
                    resolved: resolved,
                    storePath: "/nix/store/new-\(node.hostname)-\(profile)",
                    derivationPath: "/nix/store/new-\(node.hostname)-\(profile).drv"
                )
            }
        }
    }

    static func executor(runner: RecordingRunner, controlDirectory: String) -> Executor {
        let remote = RemoteSession(runner: runner, controlDirectory: controlDirectory)
        let nix = NixCommand(version: .v2_8)
        let events = SilentEventSink()
        return Executor(
            builder: Builder(runner: runner, nix: nix, remote: remote, events: events),
            copier: Copier(runner: runner, nix: nix, remote: remote, events: events),
            activation: ActivationFlow(runner: runner, remote: remote, events: events),
            remote: remote
        )
    }

    /// Deploys every node of `fleet` one node at a time (`jobs` 1, so nodes run in order).
    ///
    /// - Parameter respond: Answers instead of the fleet when it returns a response; it may
    ///   cancel the run (its second argument), as Ctrl-C would.
    static func deploy(
        _ fleet: FakeFleet,
        options: DeployOptions = DeployOptions(jobs: 1),
        extraProfiles: [String: [String]] = [:],
        users: [String: String] = [:],
        respond: @escaping @Sendable (Invocation, RunningTask) -> RecordingRunner.Response? = { _, _ in nil }
    ) async throws -> Run {
        let directory = try TestEnvironment.temporaryDirectory("executor").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let running = RunningTask()
        let runner = RecordingRunner { invocation in respond(invocation, running) ?? fleet.respond(to: invocation) }
        let executor = Self.executor(runner: runner, controlDirectory: directory + "/ctl")
        let plan = Planner.plan(
            try Self.targets(fleet, extraProfiles: extraProfiles, users: users),
            options: options
        )
        // The run starts once its task is known, so that `respond` can always cancel it.
        let (started, start) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            for await _ in started {}
            return try await executor.run(plan)
        }
        running.set(task)
        start.finish()
        var run: Run
        do {
            run = Run(summary: try await task.value, error: nil, invocations: [])
        } catch let error as DeployRunError {
            run = Run(summary: error.summary, error: error, invocations: [])
        }
        await executor.remote.shutdown()
        run.invocations = runner.invocations
        return run
    }

    /// Each target's state, as `node.profile: state`.
    static func states(_ summary: DeploySummary) -> [String] {
        summary.targets.map { "\($0.ref): \($0.state.rawValue)" }
    }

    @Test func testEveryNodeIsBuiltOnceCopiedActivatedAndConfirmedInOrder() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b", generation: 7)])
        let run = try await Self.deploy(fleet)
        #expect(run.error == nil)
        #expect(Self.states(run.summary) == ["a.system: confirmed", "b.system: confirmed"])
        #expect(run.summary.targets.map(\.generationBefore) == [3, 7])
        #expect(run.summary.targets.map(\.generationAfter) == [4, 8])
        #expect(
            fleet.activatorCalls(in: run.invocations) == [
                "a status", "a activate", "a confirm", "b status", "b activate", "b confirm",
            ]
        )
        let steps = run.invocations.compactMap(fleet.step(of:))
        #expect(steps.first == "build")
        #expect(steps.filter { $0 == "build" }.count == 1)
        for node in ["a", "b"] {
            let connect = try #require(steps.firstIndex(of: "\(node) connect"))
            let copy = try #require(steps.firstIndex(of: "\(node) copy"))
            let activate = try #require(steps.firstIndex(of: "\(node) activate"))
            #expect(connect < copy && copy < activate)
        }
    }

    @Test func testAUserDeploysshRefusesFailsOnlyItsNodeBeforeAnySSHCall() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b"), FakeNode("c")])
        let run = try await Self.deploy(
            fleet,
            options: DeployOptions(jobs: 1, keepGoing: true),
            users: ["b": "../../tmp"]
        )
        #expect(Self.states(run.summary) == ["a.system: confirmed", "b.system: failed", "c.system: confirmed"])
        #expect(
            run.summary.targets[1].error?.message
                == "connect failed on b.system: deploy.nodes.b.profiles.system.user '../../tmp' contains '/', so it "
                + "would reach another directory on the target; deploysh does not deploy this node with it"
        )
        let steps = run.invocations.compactMap(fleet.step(of:))
        #expect(!steps.contains { $0.hasPrefix("b ") }, "\(steps)")
        #expect(!run.invocations.contains { $0.arguments.contains { $0.contains("../../tmp") } })
    }

    @Test func testWithKeepGoingAFailedNodeDoesNotStopTheOthers() async throws {
        let fleet = FakeFleet([FakeNode("a", activation: .rolledBack), FakeNode("b"), FakeNode("c")])
        let run = try await Self.deploy(fleet, options: DeployOptions(jobs: 1, keepGoing: true))
        #expect(Self.states(run.summary) == ["a.system: rolled back", "b.system: confirmed", "c.system: confirmed"])
        #expect(run.summary.targets[0].error?.failure == .activationFailed(status: 1))
        #expect(run.summary.targets[0].generationAfter == 3)
        #expect(run.error?.summary.firstError?.target == ProfileRef(node: "a", profile: "system"))
        #expect(
            fleet.activatorCalls(in: run.invocations) == [
                "a status", "a activate", "b status", "b activate", "b confirm", "c status", "c activate",
                "c confirm",
            ]
        )
    }

    @Test func testAFailureReturnsActivatedTargetsToTheirGenerationBeforeInReverseOrder() async throws {
        let fleet = FakeFleet([
            FakeNode("a", generation: 3), FakeNode("b", generation: 5), FakeNode("c", activation: .rolledBack),
        ])
        let run = try await Self.deploy(fleet)
        #expect(
            Self.states(run.summary) == ["a.system: rolled back", "b.system: rolled back", "c.system: rolled back"]
        )
        #expect(run.summary.targets.map(\.generationBefore) == [3, 5, 3])
        #expect(run.summary.targets.map(\.generationAfter) == [3, 5, 3])
        #expect(
            run.summary.targets.map(\.error?.failure) == [
                .otherTargetFailed, .otherTargetFailed, .activationFailed(status: 1),
            ]
        )
        #expect(run.error?.summary.firstError?.target == ProfileRef(node: "c", profile: "system"))
        #expect(
            fleet.activatorCalls(in: run.invocations) == [
                "a status", "a activate", "a confirm", "b status", "b activate", "b confirm", "c status",
                "c activate", "b rollback", "a rollback",
            ]
        )
        let rollbacks = run.invocations.compactMap(FakeFleet.activatorWords(of:)).filter { $0.first == "rollback" }
        #expect(rollbacks.map { $0.last } == ["5", "3"])
    }

    @Test func testAfterAFailureTheTargetsNotYetActivatedAreNotStarted() async throws {
        let fleet = FakeFleet([FakeNode("a", activation: .rolledBack), FakeNode("b")])
        let run = try await Self.deploy(fleet, extraProfiles: ["a": ["app"]])
        #expect(Self.states(run.summary) == ["a.app: rolled back", "a.system: not started", "b.system: not started"])
        #expect(run.summary.targets[1].error?.failure == .otherTargetFailed)
        #expect(run.summary.targets[2].error == nil)
        #expect(fleet.activatorCalls(in: run.invocations) == ["a status", "a status", "a activate"])
        #expect(!run.invocations.compactMap(fleet.step(of:)).contains { $0.hasPrefix("b ") })
    }

    @Test func testAFailedRollbackDoesNotStopTheOthers() async throws {
        let fleet = FakeFleet([
            FakeNode("a"), FakeNode("b", rollbackSucceeds: false), FakeNode("c", activation: .rolledBack),
        ])
        let run = try await Self.deploy(fleet)
        #expect(
            Self.states(run.summary) == ["a.system: rolled back", "b.system: rollback failed", "c.system: rolled back"]
        )
        #expect(run.summary.targets[1].error?.failure == .rollbackFailed)
        #expect(run.summary.targets[1].error?.step == .rollback)
        #expect(run.summary.targets[0].generationAfter == 3)
        #expect(run.summary.targets[1].generationAfter == 4)
        #expect(Array(fleet.activatorCalls(in: run.invocations).suffix(2)) == ["b rollback", "a rollback"])
    }

    @Test func testANodeWhoseSSHConnectionFailsIsUnreachableAndTheOthersAreDeployedWithKeepGoing() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b", isReachable: false), FakeNode("c")])
        let run = try await Self.deploy(fleet, options: DeployOptions(jobs: 1, keepGoing: true))
        #expect(Self.states(run.summary) == ["a.system: confirmed", "b.system: failed", "c.system: confirmed"])
        let error = try #require(run.summary.targets[1].error)
        #expect(error.failure == .unreachable)
        #expect(error.step == .connect)
        #expect(error.message.hasPrefix("connect failed on b.system: cannot connect to root@b (node 'b')"))
        #expect(error.details.last == "ssh: connect to host b port 22: Connection refused")
        #expect(
            fleet.activatorCalls(in: run.invocations) == [
                "a status", "a activate", "a confirm", "c status", "c activate", "c confirm",
            ]
        )
        #expect(run.invocations.compactMap(fleet.step(of:)).filter { $0.hasPrefix("b ") } == ["b connect"])
    }

    @Test func testANodeWhoseSSHConnectionFailsRollsBackTheOthersWithoutKeepGoing() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b", isReachable: false), FakeNode("c")])
        let run = try await Self.deploy(fleet)
        #expect(Self.states(run.summary) == ["a.system: rolled back", "b.system: failed", "c.system: not started"])
        #expect(fleet.activatorCalls(in: run.invocations) == ["a status", "a activate", "a confirm", "a rollback"])
    }

    @Test func testCancellingMidRunEndsWithTheSummaryAndTheRollback() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b"), FakeNode("c")])
        let run = try await Self.deploy(fleet) { invocation, running in
            // Ctrl-C while b activates: the run's task is cancelled, and the runner reports the
            // activator it stopped as cancelled.
            guard FakeFleet.activatorWords(of: invocation)?.first == "activate",
                invocation.arguments.contains("root@b")
            else { return nil }
            running.cancel()
            return RecordingRunner.Response(status: .cancelled)
        }
        let error = try #require(run.error)
        #expect(run.summary.wasCancelled)
        #expect(error.cause is CancellationError)
        #expect(
            Self.states(run.summary) == ["a.system: rolled back", "b.system: rolled back", "c.system: not started"]
        )
        #expect(run.summary.targets.map(\.generationAfter) == [3, 3, nil])
        #expect(run.summary.targets[1].error?.failure == .cancelled)
        // b's activator was stopped mid-activation: its watchdog is asked (by the activation's
        // id) to roll back as soon as the activation ends, instead of waiting for its window;
        // a, which this run confirmed, is rolled back after it.
        #expect(
            fleet.activatorCalls(in: run.invocations) == [
                "a status", "a activate", "a confirm", "b status", "b activate", "b rollback", "a rollback",
            ]
        )
        #expect(!run.invocations.compactMap(fleet.step(of:)).contains { $0.hasPrefix("c ") })
    }

    @Test func testAFailedBuildTouchesNoNode() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b")], buildSucceeds: false)
        let run = try await Self.deploy(fleet)
        #expect(Self.states(run.summary) == ["a.system: failed", "b.system: failed"])
        #expect(run.summary.targets.map(\.error?.step) == [.build, .build])
        #expect(run.invocations.compactMap(fleet.step(of:)) == ["build"])
    }

    @Test func testWithoutRollbackSucceededTheActivatedTargetsStayAfterAFailure() async throws {
        let fleet = FakeFleet([FakeNode("a"), FakeNode("b", activation: .rolledBack), FakeNode("c")])
        let run = try await Self.deploy(fleet, options: DeployOptions(jobs: 1, rollbackSucceeded: false))
        #expect(Self.states(run.summary) == ["a.system: confirmed", "b.system: rolled back", "c.system: not started"])
        #expect(run.summary.targets[0].generationAfter == 4)
        #expect(!fleet.activatorCalls(in: run.invocations).contains { $0.hasSuffix(" rollback") })
    }
}

/// The task of a deploy under test, so the fake runner can cancel it as Ctrl-C would.
final class RunningTask: Sendable {
    private let task = Mutex<Task<DeploySummary, any Error>?>(nil)

    func set(_ task: Task<DeploySummary, any Error>) { self.task.withLock { $0 = task } }

    func cancel() { task.withLock { $0?.cancel() } }
}
