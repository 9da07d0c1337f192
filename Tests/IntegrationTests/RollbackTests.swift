import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: deploy-rs's two safety nets, for real: magic rollback after a lock-out, and a
/// target that rolls back by itself when the deployer dies.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct RollbackTests {
    /// Profiles for node 1: `good` restores access, `lockout` empties authorized_keys.
    static func lockoutProfiles(_ fixture: DeployFixture) throws -> String {
        let keys = fixture.testbed.nodeDirectory(1) + "/authorized_keys"
        try FileManager.default.copyItem(atPath: keys, toPath: keys + ".saved")
        return """
            {
              system.path = \(fixture.profile("good", extra: "cp '\(keys).saved' '\(keys)'"));
              lockout = { profilePath = "/nix/var/nix/profiles/system"; confirmTimeout = 3; path = \(fixture.profile("lockout", extra: ": > '\(keys)'")); };
            }
            """
    }

    @Test func testMagicRollbackWhenKeysRemoved() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(
                nodes: [("web", 1, try Self.lockoutProfiles(fixture))]
            )
            let shell = TestShell()
            #expect(await shell.run("load \(flake); deploy web.system") == .success, "\(shell.takeErrors())")
            let good = testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system")
            _ = shell.takeErrors()
            // The suite's time limit (well under activationTimeout, 240 s) bounds the wait: no clock here.
            #expect(await shell.run("deploy web.lockout") == .failed)
            let errors = shell.takeErrors()
            #expect(
                errors.contains(
                    "error: confirm failed on web.lockout: a new ssh connection failed after activation; magic rollback restored the previous generation"
                ),
                "\(errors)"
            )
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == good)
            #expect(testbed.generations(node: 1, profile: "/nix/var/nix/profiles/system") == [1])
            // Rolled back: nothing waits for `confirm` (leaving must not warn about it).
            #expect(shell.session.ledger.pending.isEmpty)
            #expect(shell.session.pendingWarning() == nil)
            #expect(fixture.activations(of: "lockout").count == 1)
            #expect(fixture.activations(of: "good").count == 2)
            // The previous activation restored access: a new deploy reaches the node again.
            #expect(await shell.run("generations web.system") == .success, "\(shell.takeErrors())")
        }
    }

    @Test func testTargetRollsBackWhenTheDeployerIsKilled() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let profiles =
                "{ system.path = \(fixture.profile("first")); next = { profilePath = \"/nix/var/nix/profiles/system\"; confirmTimeout = 3; path = \(fixture.profile("second")); }; }"
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let shell = TestShell()
            #expect(
                await shell.run("load \(flake); deploy web.system; build web.next; copy web.next") == .success,
                "\(shell.takeErrors())"
            )
            let first = testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system")
            let deployer = try await DeployerProcess.start(
                arguments: ["-c", "load \(flake); activate --no-confirm web.next; echo pending; sleep 60"]
            )
            #expect(await deployer.waitForOutput(containing: "pending", seconds: 30))
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") != first)
            deployer.kill()
            // The watchdog switches back, deletes the new generation, then re-runs the old activation.
            let rolledBack = try await poll(tries: 100, every: .milliseconds(200)) {
                testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == first
                    && fixture.activations(of: "first").count == 2
            }
            #expect(rolledBack)
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == first)
            #expect(testbed.generations(node: 1, profile: "/nix/var/nix/profiles/system") == [1])
            #expect(fixture.activations(of: "first").count == 2)
        }
    }

    @Test func testStepThroughConfirmKeepsAndRollbackReturns() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let profiles = """
                { system.path = \(fixture.profile("one"));
                  two = { profilePath = "/nix/var/nix/profiles/system"; path = \(fixture.profile("two")); };
                  three = { profilePath = "/nix/var/nix/profiles/system"; path = \(fixture.profile("three")); }; }
                """
            let flake = try fixture.write(nodes: [("web", 1, profiles)], settings: "confirmTimeout = 20;")
            let shell = TestShell(json: true)
            #expect(await shell.run("load \(flake); deploy web.system; deploy web.two --dry-activate") == .success)
            _ = shell.takeOutput()
            #expect(await shell.run("build web.two; copy web.two; activate --no-confirm web.two; status") == .success)
            let status = try #require(try shell.takeJSONLines().last)
            let pending = status["targets"]?.arrayValue?.first { $0["target"]?.stringValue == "web.two" }
            #expect(pending?["state"]?.stringValue == "pending confirm")
            #expect((pending?["secondsLeft"]?.intValue ?? 0) > 10)
            #expect(shell.session.prompt.contains(" (confirm web.two: "), "\(shell.session.prompt)")
            // In the REPL, `quit` with an activation pending first says what waits; a second leaves.
            shell.session.isInteractive = true
            _ = shell.takeOutput()
            #expect(await shell.run("quit") == .success)
            #expect(!shell.session.wantsToQuit)
            let warned = shell.takeOutput()
            #expect(warned.contains("1 activation waits for confirm: web.two ("), "\(warned)")
            #expect(warned.contains("or `quit` again to leave them to their watchdogs."), "\(warned)")
            shell.session.isInteractive = false
            #expect(await shell.run("confirm") == .success, "\(shell.takeErrors())")
            let two = testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system")
            #expect(two?.contains("-two-") == true)
            try await Task.sleep(for: .seconds(1))
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == two)

            #expect(
                await shell.run("build web.three; copy web.three; activate --no-confirm web.three; rollback")
                    == .success,
                "\(shell.takeErrors())"
            )
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == two)
            #expect(testbed.generations(node: 1, profile: "/nix/var/nix/profiles/system") == [1, 2])
            #expect(fixture.activations(of: "three").count == 1)
        }
    }
}
