import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: build, copy and activate on real sshd + Nix nodes of the testbed.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct DeployTests {
    @Test func testDeployBuildsCopiesActivatesAndConfirms() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(nodes: [("web", 1, "{ system.path = \(fixture.profile("good")); }")])
            let shell = TestShell(json: true)
            #expect(await shell.run("load \(flake); deploy web.system") == .success, "\(shell.takeErrors())")
            let report = try #require(try shell.takeJSONLines().last)
            let row = try #require(report["targets"]?.arrayValue?.first)
            #expect(row["state"]?.stringValue == "confirmed")
            let storePath = try #require(row["storePath"]?.stringValue)
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == storePath)
            #expect(testbed.generations(node: 1, profile: "/nix/var/nix/profiles/system") == [1])
            #expect(fixture.activations(of: "good") == ["/nix/var/nix/profiles/system 0 0"])
            #expect(FileManager.default.fileExists(atPath: testbed.hostPath(node: 1, storePath)))
        }
    }

    @Test func testRemoteBuildLeavesTheOutputOnlyOnTheNode() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(nodes: [("web", 1, "{ system.path = \(fixture.profile("remote")); }")])
            let shell = TestShell(json: true)
            #expect(await shell.run("load \(flake); build --remote web.system") == .success, "\(shell.takeErrors())")
            let report = try #require(try shell.takeJSONLines().last)
            let row = try #require(report["targets"]?.arrayValue?.first)
            #expect(row["result"]?.stringValue == "built on target")
            let storePath = try #require(row["storePath"]?.stringValue)
            #expect(FileManager.default.fileExists(atPath: testbed.hostPath(node: 1, storePath)))
            #expect(!FileManager.default.fileExists(atPath: storePath))
            #expect(await shell.run("copy web.system; activate web.system") == .success, "\(shell.takeErrors())")
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == storePath)
        }
    }

    @Test func testAutoRollbackWhenActivationFails() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let profiles = """
                { system.path = \(fixture.profile("good")); broken = { path = \(fixture.profile("bad", extra: "echo about to fail >&2; exit 1")); profilePath = "/nix/var/nix/profiles/system"; }; }
                """
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let shell = TestShell()
            #expect(await shell.run("load \(flake); deploy web.system") == .success, "\(shell.takeErrors())")
            let good = testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system")
            _ = shell.takeErrors()
            #expect(await shell.run("deploy web.broken", file: "d.dsh") == .failed)
            let errors = shell.takeErrors()
            #expect(
                errors.contains(
                    "error: activate failed on web.broken: the activation failed (exit status 1); auto rollback restored"
                )
            )
            #expect(errors.contains("$ ssh -F \(testbed.sshConfig)"))
            #expect(errors.contains("about to fail"))
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == good)
            #expect(testbed.generations(node: 1, profile: "/nix/var/nix/profiles/system") == [1])
            #expect(fixture.activations(of: "good").count == 2)
            #expect(fixture.activations(of: "bad").count == 1)
        }
    }

    @Test func testDiffShowsWhatChangesAndRollbackToAGeneration() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let profiles = """
                { system.path = \(fixture.profile("one"));
                  two = { profilePath = "/nix/var/nix/profiles/system"; path = \(fixture.profile("two")); }; }
                """
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let shell = TestShell(json: true)
            #expect(await shell.run("load \(flake); deploy web.system; build web.two; diff web.two") == .success)
            let diff = try #require(try shell.takeJSONLines().last?["targets"]?.arrayValue?.first?["diff"])
            #expect(diff["from"]?.stringValue?.hasSuffix("-one-\(fixture.nonce)") == true)
            #expect(diff["added"]?.stringArrayValue == ["two-\(fixture.nonce)"])
            #expect(diff["removed"]?.stringArrayValue == ["one-\(fixture.nonce)"])
            #expect(await shell.run("deploy web.two; rollback --to 1 web.system") == .success, "\(shell.takeErrors())")
            let one = testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system")
            #expect(one?.hasSuffix("-one-\(fixture.nonce)") == true)
            #expect(testbed.generations(node: 1, profile: "/nix/var/nix/profiles/system") == [1, 2])
            #expect(fixture.activations(of: "one").count == 2)
        }
    }

    @Test func testAnSSHOptionWithASpaceSurvivesTheCopy() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            // Nix 2.8 splits NIX_SSHOPTS on blanks; deploysh must pass this option whole.
            let profiles = """
                { system = { path = \(fixture.profile("spaced")); sshOpts = [ "-o" "ServerAliveInterval 5" ]; }; }
                """
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let shell = TestShell()
            #expect(await shell.run("load \(flake); deploy web.system") == .success, "\(shell.takeErrors())")
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") != nil)
            #expect(fixture.activations(of: "spaced").count == 1)
        }
    }
}
