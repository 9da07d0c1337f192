import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: dry-activate and boot, concurrent deployers, hostile names and a node that is down.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct ActivationModeTests {
    @Test func testDryActivateLeavesTheProfileAndBootPassesBootFlag() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(nodes: [("web", 1, "{ system.path = \(fixture.profile("mode")); }")])
            let shell = TestShell()
            #expect(
                await shell.run("load \(flake); deploy --dry-activate web.system") == .success,
                "\(shell.takeErrors())"
            )
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == nil)
            #expect(fixture.activations(of: "mode").count == 1)
            #expect(fixture.activations(of: "mode").first?.hasSuffix(" 1 0") == true)
            #expect(await shell.run("activate --dry-activate --boot web.system", file: "m.dsh") == .failed)
            #expect(shell.takeErrors().contains("--dry-activate and --boot cannot be used together"))
            #expect(await shell.run("activate --boot web.system") == .success, "\(shell.takeErrors())")
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") != nil)
            #expect(fixture.activations(of: "mode").last == "/nix/var/nix/profiles/system 0 1")
        }
    }

    @Test func testSecondDeployerIsRefusedWhileTheFirstHoldsTheProfile() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(
                nodes: [("web", 1, "{ system.path = \(fixture.profile("locked")); }")],
                settings: "confirmTimeout = 30;"
            )
            let first = TestShell()
            #expect(
                await first.run("load \(flake); build web.system; copy web.system; activate --no-confirm web.system")
                    == .success
            )
            let holding = testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system")
            let second = TestShell()
            #expect(await second.run("load \(flake); activate web.system", file: "second.dsh") == .failed)
            let errors = second.takeErrors()
            #expect(errors.contains("is being deployed by deployment"), "\(errors)")
            #expect(errors.contains("nothing was changed"))
            #expect(testbed.generations(node: 1, profile: "/nix/var/nix/profiles/system") == [1])
            #expect(await first.run("confirm") == .success, "\(first.takeErrors())")
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == holding)
            #expect(fixture.activations(of: "locked").count == 1)
        }
    }

    @Test func testHostileNamesDeployWithoutRunningAnything() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let pwned = testbed.directory + "/pwned"
            let node = "we b'\"$(touch \(pwned))"
            // A profile name cannot hold '/' (it would leave the profiles directory), so its
            // command substitution touches a relative name; every place it could land is checked.
            let profile = "p $(touch pwned-\(fixture.nonce)) ;x"
            let profiles = "{ \(FlakeFixtures.nixString(profile)).path = \(fixture.profile("hostile")); }"
            let flake = try fixture.write(nodes: [(node, 1, profiles)])
            let shell = TestShell()
            let target = RemoteShell.quote(ProfileRef(node: node, profile: profile).description)
            #expect(await shell.run("load \(flake); deploy \(target)") == .success, "\(shell.takeErrors())")
            let path = "/nix/var/nix/profiles/per-user/root/\(profile)"
            #expect(testbed.profileTarget(node: 1, profile: path) != nil)
            #expect(fixture.activations(of: "hostile") == [path + " 0 0"])
            #expect(!FileManager.default.fileExists(atPath: pwned))
            let relative = "pwned-\(fixture.nonce)"
            for directory in ["/", "/root", NSHomeDirectory(), "/tmp", testbed.directory] {
                #expect(!FileManager.default.fileExists(atPath: directory + "/" + relative), "\(directory)")
            }
            let perUser = testbed.hostPath(node: 1, "/nix/var/nix/profiles/per-user/root")
            #expect(!FileManager.default.fileExists(atPath: perUser + "/" + relative))
        }
    }

    @Test func testNodeThatIsDownFailsClearlyAndChangesNothingElse() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(nodes: [
                ("up", 1, "{ system.path = \(fixture.profile("up")); }"),
                ("down", 2, "{ system.path = \(fixture.profile("down")); }"),
            ])
            try await testbed.stopNode(2)
            let shell = TestShell()
            let started = ContinuousClock.now
            #expect(await shell.run("load \(flake); deploy down.system up.system", file: "d.dsh") == .failed)
            #expect(ContinuousClock.now - started < .seconds(40))
            let errors = shell.takeErrors()
            #expect(errors.contains("cannot connect to root@\(testbed.address(2)) (node 'down')"), "\(errors)")
            #expect(errors.contains("$ ssh -F \(testbed.sshConfig)"))
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == nil)
            #expect(fixture.activations(of: "up").isEmpty)
        }
    }

    @Test func testOneShotDeployTakesDeployRSFlagsAndExitCodes() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let profiles = """
                { system.path = \(fixture.profile("oneshot"));
                  bad = { profilePath = "/nix/var/nix/profiles/system"; path = \(fixture.profile("bad", extra: "exit 4")); }; }
                """
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let good = try await DeployerProcess.start(arguments: [
                "deploy", "\(flake)#web.system", "--confirm-timeout", "10",
            ])
            #expect(await good.waitForExit(seconds: 60) == 0, "\(good.standardOutput)")
            #expect(good.standardOutput.contains("web.system  confirmed"))
            let bad = try await DeployerProcess.start(arguments: [
                "deploy", "\(flake)#web.bad", "--auto-rollback", "true",
            ])
            #expect(await bad.waitForExit(seconds: 60) == 1)
            #expect(fixture.activations(of: "oneshot").count == 2)
            let usage = try await DeployerProcess.start(arguments: [
                "deploy", "\(flake)#web.system", "--confirm-timeout",
            ])
            #expect(await usage.waitForExit(seconds: 30) == 64)
        }
    }
}
