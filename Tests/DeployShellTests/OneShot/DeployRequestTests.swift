import DeployKit
import DeployTestSupport
import Testing

@testable import DeployShell

/// Small: a request's targets become profiles in the order given, each once, per flake.
@Suite struct DeployRequestTests {
    static func config() throws -> DeployConfig {
        try DeployConfig(json: [
            "nodes": [
                "alpha": ["hostname": "a", "profiles": ["system": ["__deployshHasPath": true]]],
                "db:1": [
                    "hostname": "d",
                    "profilesOrder": ["system", "app"],
                    "profiles": ["app": ["__deployshHasPath": true], "system": ["__deployshHasPath": true]],
                ],
                "zeta": ["hostname": "z", "profiles": ["system": ["__deployshHasPath": true]]],
            ]
        ])
    }

    @Test func testRefsKeepTheOrderGivenAndDropRepeats() throws {
        let patterns = [
            TargetPattern(node: "zeta", profile: "system"),
            TargetPattern(node: "db:1"),
            TargetPattern(node: "alpha"),
            TargetPattern(node: "db:1", profile: "app"),
        ]
        #expect(
            try Deployment.refs(patterns, in: Self.config()) == [
                ProfileRef(node: "zeta", profile: "system"),
                ProfileRef(node: "db:1", profile: "system"),
                ProfileRef(node: "db:1", profile: "app"),
                ProfileRef(node: "alpha", profile: "system"),
            ]
        )
    }

    @Test func testTargetsAreGroupedByFlakeInTheOrderFirstNamed() {
        let request = DeployRequest(targets: [
            TargetPattern(flake: "path:/b", node: "x"),
            TargetPattern(node: "y"),
            TargetPattern(flake: "path:/b", node: "z"),
        ])
        #expect(request.deploymentRequest().flakes == ["path:/b", "."])
    }

    @MainActor
    @Test func testInteractiveWithoutATerminalIsRefusedBeforeAnythingRuns() async {
        let runner = RecordingRunner()
        let shell = TestShell(runner: runner)
        await #expect(throws: DeployRequestError.interactiveWithoutTerminal) {
            _ = try await DeployRequest(interactive: true).run(in: shell.session, ask: nil)
        }
        #expect(runner.invocations.isEmpty)
    }

    @MainActor
    @Test func testPauseAfterWithoutATerminalIsRefusedBeforeAnythingRuns() async {
        let runner = RecordingRunner()
        let shell = TestShell(runner: runner)
        var request = DeployRequest()
        request.rollout.pauseAfter = [0]
        await #expect(throws: DeployRequestError.pauseWithoutTerminal) {
            _ = try await request.run(in: shell.session, ask: nil)
        }
        #expect(runner.invocations.isEmpty)
    }

    @MainActor
    @Test func testAFailingFlakeCheckStopsBeforeAnyEvaluation() async {
        let runner = RecordingRunner { invocation in
            if invocation.arguments == ["--version"] { return .init(standardOutput: "nix (Nix) 2.8.0\n") }
            if invocation.arguments.contains("check") { return .init(status: .exited(1), standardError: ["failed"]) }
            return .init()
        }
        let shell = TestShell(runner: runner)
        let request = DeployRequest(targets: [TargetPattern(flake: "path:/f", node: "a")])
        await #expect(throws: CommandFailure.self) { _ = try await request.run(in: shell.session, ask: nil) }
        #expect(runner.invocations.filter { $0.arguments.contains("check") }.count == 1)
        #expect(!runner.invocations.contains { $0.arguments.contains("eval") })
    }

    @MainActor
    @Test func testFlakeCheckRunsOncePerFlakeWithTheExtraArgumentsBeforeLoading() async {
        let runner = RecordingRunner { invocation in
            if invocation.arguments == ["--version"] { return .init(standardOutput: "nix (Nix) 2.8.0\n") }
            if invocation.arguments.contains("eval") { return .init(status: .exited(1), standardError: ["stop"]) }
            return .init()
        }
        let shell = TestShell(runner: runner)
        let request = DeployRequest(
            targets: [
                TargetPattern(flake: "path:/f", node: "a"), TargetPattern(flake: "path:/g", node: "b"),
                TargetPattern(flake: "path:/f", node: "c"),
            ],
            extraBuildArguments: ["--impure"]
        )
        await #expect(throws: CommandFailure.self) { _ = try await request.run(in: shell.session, ask: nil) }
        let nix = runner.invocations.filter { $0.arguments != ["--version"] }
        #expect(
            nix.map { Array($0.arguments.dropFirst(2).prefix(3)) } == [
                ["flake", "check", "path:/f"], ["flake", "check", "path:/g"], ["eval", "--json", "path:/f#deploy"],
            ]
        )
        #expect(nix.allSatisfy { $0.arguments.last == "--impure" })
    }
}
