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
}
