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

    @Test func testJobsAreAtLeastOne() {
        #expect(DeployOptions(jobs: 0).jobs == 1)
        #expect(DeployOptions().jobs == 8)
    }
}
