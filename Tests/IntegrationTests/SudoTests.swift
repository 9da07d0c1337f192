import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: a non-root ssh user with sudo, as on a real NixOS host: multi-user Nix (a
/// nix-daemon on the node, the user trusted), copy through the daemon, activation via sudo.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct SudoTests {
    @Test func testNonRootSSHUserCopiesThroughTheDaemonAndActivatesWithSudo() async throws {
        try await withTestbed(nodes: 1, withUser: true) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let profiles =
                "{ system.path = \(fixture.profile("sudo", extra: "id -un >> '\(fixture.markers)/sudo-user'")); }"
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let shell = TestShell(json: true)
            let script = "load \(flake); set sshUser deployer; show web.system; deploy web.system"
            #expect(await shell.run(script) == .success, "\(shell.takeErrors())")
            let lines = try shell.takeJSONLines()
            #expect(lines[2]["sshDestination"]?.stringValue == "deployer@\(testbed.address(1))")
            #expect(lines[2]["usesSudo"]?.boolValue == true)
            let row = try #require(lines.last?["targets"]?.arrayValue?.first)
            #expect(row["state"]?.stringValue == "confirmed")
            let storePath = try #require(row["storePath"]?.stringValue)
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == storePath)
            let user = try String(contentsOfFile: fixture.markers + "/sudo-user", encoding: .utf8)
            #expect(user == "root\n")
        }
    }

    @Test func testInteractiveSudoAsksOncePerHostAndOnlyAtActivation() async throws {
        try await withTestbed(nodes: 1, withUser: true) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(nodes: [("web", 1, "{ system.path = \(fixture.profile("asked")); }")])
            let asked = Captured()
            let shell = TestShell(sudoPassword: { host in
                asked.append(host + "\n")
                return "not-logged-secret"
            })
            let setup = "load \(flake); set sshUser deployer; set interactiveSudo true"
            #expect(await shell.run(setup + "; build web.system; copy web.system") == .success, "\(shell.takeErrors())")
            #expect(asked.take() == "", "no password before activation")
            #expect(await shell.run("activate web.system") == .success, "\(shell.takeErrors())")
            #expect(await shell.run("activate web.system") == .success, "\(shell.takeErrors())")
            #expect(asked.take() == testbed.address(1) + "\n", "asked exactly once for the host")
            #expect(!shell.takeOutput().contains("not-logged-secret"))
            #expect(!shell.takeErrors().contains("not-logged-secret"))
            #expect(fixture.activations(of: "asked").count == 2)
        }
    }

    /// The testbed's sudo needs no password, so the profile's `sudo` is a wrapper that insists on
    /// one on standard input (as `sudo -S` does when it asks), then runs the real sudo.
    @Test func testACmdCheckUnderInteractiveSudoGetsTheSudoPasswordAsActivationDoes() async throws {
        try await withTestbed(nodes: 1, withUser: true) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let askingSudo = fixture.markers + "/asking-sudo"
            let script = """
                #!/bin/sh
                IFS= read -r password || password=
                if [ "$password" != "the-sudo-secret" ]; then echo "asking-sudo: a password is required" >&2; exit 1; fi
                exec sudo -n "$@"

                """
            try script.write(toFile: askingSudo, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: askingSudo)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.markers)
            let checks = "healthChecks = [ { cmd = [ \"sh\" \"-c\" \"test $(id -un) = root\" ]; } ];"
            let flake = try fixture.write(
                nodes: [("web", 1, "{ system.path = \(fixture.profile("checked")); }")],
                settings: "confirmTimeout = 20; healthTimeout = 5; sudo = \"\(askingSudo) -u\"; \(checks)"
            )
            let asked = Captured()
            let shell = TestShell(
                json: true,
                sudoPassword: { host in
                    asked.append(host + "\n")
                    return "the-sudo-secret"
                }
            )
            let script2 = "load \(flake); set sshUser deployer; set interactiveSudo true; deploy web.system"
            #expect(await shell.run(script2) == .success, "\(shell.takeErrors())")
            let rows = try shell.takeSummaryRows()
            #expect(rows["web.system"]?["state"]?.stringValue == "confirmed", "\(rows)")
            let health = rows["web.system"]?["health"]?.arrayValue ?? []
            #expect(health.map { $0["ok"]?.boolValue } == [true], "\(health)")
            #expect(asked.take() == testbed.address(1) + "\n", "asked once for the host, activation and check alike")
            #expect(!shell.takeErrors().contains("the-sudo-secret"))
            #expect(fixture.activations(of: "checked").count == 1)
        }
    }
}
