import DeployTestSupport
import Testing

@testable import DeployKit

/// Small: the plan is a value; built from inputs alone, nothing runs.
@Suite struct PlannerTests {
    static func target(_ node: String, _ profile: String, remoteBuild: Bool = false, magic: Bool = true) throws
        -> DeployTarget
    {
        var settings = Settings()
        settings.remoteBuild = remoteBuild
        settings.magicRollback = magic
        let config = DeployConfig(
            nodes: [Node(name: node, hostname: "h-\(node)", profiles: [Profile(name: profile, settings: settings)])]
        )
        return DeployTarget(
            resolved: try config.resolve(node: node, profile: profile, overrides: SessionOverrides(), localUser: "u"),
            storePath: "/nix/store/x-\(node)-\(profile)",
            derivationPath: "/nix/store/x-\(node)-\(profile).drv"
        )
    }

    @Test func testTargetsAreGroupedByNodeInProfilesOrderNodesInTheOrderGiven() throws {
        let targets = [
            try Self.target("b", "app"), try Self.target("a", "system"), try Self.target("b", "system"),
            try Self.target("b", "db"),
        ]
        let plan = Planner.plan(targets, options: DeployOptions(), order: ["b": ["system", "db"]])
        #expect(plan.nodes.map(\.name) == ["b", "a"])
        #expect(plan.nodes[0].targets.map(\.ref.profile) == ["system", "db", "app"])
    }

    @Test func testStepsOfADeployWithLocalAndRemoteBuilds() throws {
        let plan = Planner.plan(
            [
                try Self.target("a", "system"), try Self.target("b", "system", remoteBuild: true),
                try Self.target("c", "x", magic: false),
            ],
            options: DeployOptions()
        )
        #expect(plan.targets[0].steps == [.buildLocally, .copy, .activate(.switch), .confirm])
        #expect(plan.targets[1].steps == [.buildRemotely, .activate(.switch), .confirm])
        #expect(plan.targets[2].steps == [.buildLocally, .copy, .activate(.switch)])
        #expect(plan.localBuilds.map(\.ref.node) == ["a", "c"])
        #expect(plan.remoteBuilds.map(\.ref.node) == ["b"])
    }

    @Test func testStepCommandsPlanOneKindOfStep() throws {
        let targets = [try Self.target("a", "system"), try Self.target("b", "system")]
        let copy = Planner.plan(
            targets,
            options: DeployOptions(steps: .copy),
            builtOnNode: [ProfileRef(node: "b", profile: "system")]
        )
        #expect(copy.targets.map(\.steps) == [[.copy], []])
        let dry = Planner.plan(targets, options: DeployOptions(steps: .activate, mode: .dryActivate))
        #expect(dry.targets.map(\.steps) == [[.activate(.dryActivate)], [.activate(.dryActivate)]])
        #expect(!Planner.plan(targets, options: DeployOptions(steps: .build)).activates)
    }

    static func pending(_ id: String, generation: Int) -> PendingActivation {
        PendingActivation(id: id, canary: "/tmp/canary-\(id)", generation: generation, deadline: .now)
    }

    @Test func testConfirmIsOneConfirmStepPerPendingTargetThatRollsNothingBack() throws {
        let first = Self.pending("1", generation: 4)
        let second = Self.pending("2", generation: 7)
        let third = Self.pending("3", generation: 2)
        let plan = Planner.confirm(
            [
                (try Self.target("b", "app"), first), (try Self.target("a", "system"), second),
                (try Self.target("b", "system"), third),
            ],
            jobs: 3,
            order: ["b": ["system", "app"]]
        )
        #expect(plan.nodes.map(\.name) == ["b", "a"])
        #expect(plan.nodes[0].targets.map(\.ref.profile) == ["system", "app"])
        #expect(
            plan.targets.map(\.steps) == [
                [.confirmPending(third)], [.confirmPending(first)], [.confirmPending(second)],
            ]
        )
        #expect(plan.targets.allSatisfy { $0.followsActivation && $0.changesProfile && !$0.activates })
        #expect(!plan.activates)
        #expect(plan.localBuilds.isEmpty && plan.remoteBuilds.isEmpty)
        // Every target is attempted, and a failure rolls no other target back.
        #expect(plan.options.keepGoing)
        #expect(!plan.options.rollbackSucceeded)
        #expect(plan.options.jobs == 3)
    }

    @Test func testRollbackRollsBackAPendingActivationUnlessAGenerationIsGiven() throws {
        let pending = Self.pending("1", generation: 3)
        let targets: [(target: DeployTarget, pending: PendingActivation?)] = [
            (try Self.target("a", "system"), pending), (try Self.target("b", "system"), nil),
        ]
        let previous = Planner.rollback(targets, to: nil, jobs: 8)
        #expect(
            previous.targets.map(\.steps) == [
                [.rollback(to: nil, pending: pending)], [.rollback(to: nil, pending: nil)],
            ]
        )
        let toOne = Planner.rollback(targets, to: 1, jobs: 8)
        #expect(toOne.targets.map(\.steps) == [[.rollback(to: 1, pending: nil)], [.rollback(to: 1, pending: nil)]])
        #expect(toOne.nodes.map(\.name) == ["a", "b"])
        // What was activated last goes back first.
        let ordered = Planner.rollback(
            [(try Self.target("a", "app"), nil), (try Self.target("a", "system"), nil)],
            to: nil,
            jobs: 1,
            order: ["a": ["system", "app"]]
        )
        #expect(ordered.nodes[0].targets.map(\.ref.profile) == ["app", "system"])
        #expect(toOne.options.keepGoing && !toOne.options.rollbackSucceeded)
    }

    @Test func testADeployPlanDoesNotFollowAnActivation() throws {
        let plan = Planner.plan([try Self.target("a", "system")], options: DeployOptions())
        #expect(!plan.targets[0].followsActivation)
        #expect(plan.targets[0].changesProfile)
        #expect(
            !Planner.plan([try Self.target("a", "system")], options: DeployOptions(steps: .copy)).targets[0]
                .changesProfile
        )
    }

    @Test func testJobsAreAtLeastOne() {
        #expect(DeployOptions(jobs: 0).jobs == 1)
        #expect(DeployOptions().jobs == 8)
    }
}

/// Small: what counts as a store path a profile may point to.
@Suite(.tags(.small)) struct StorePathRuleTests {
    @Test(arguments: [
        ("/nix/store/abc-web", true), ("/nix/store/abc-web/bin", false), ("/nix/store/", false),
        ("/nix/store/..", false), ("--version", false), ("/etc", false), ("nix/store/abc", false),
        ("/nix/store/-x", false),
    ])
    func testOnlyTopLevelStorePathsAreDeployable(path: String, valid: Bool) {
        #expect(StorePathRule.isTopLevelStorePath(path) == valid)
    }
}
