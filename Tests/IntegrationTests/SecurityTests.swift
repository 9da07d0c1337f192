import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: hostile flake values and overrides against a real node: nothing runs on the
/// deployer, the error names the attribute, and a real deploy still works afterwards.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct SecurityTests {
    @Test func testOptionInjectionThroughHostnameOrSSHUserRunsNothing() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let marker = testbed.directory + "/PWNED"
            let hostile = "-oProxyCommand=touch \(marker)"
            let profile = fixture.profile("safe")
            let cases: [(node: String, attribute: String)] = [
                ("hostname = \(FlakeFixtures.nixString(hostile));", "deploy.nodes.web.hostname"),
                (
                    "hostname = \(FlakeFixtures.nixString(testbed.address(1))); sshUser = \(FlakeFixtures.nixString(hostile));",
                    "deploy.nodes.web.sshUser"
                ),
            ]
            for (node, attribute) in cases {
                let flake = try FlakeFixtures.write(
                    deploy: """
                        { user = "root"; sshOpts = [ "-F" \(FlakeFixtures.nixString(testbed.sshConfig)) ];
                          nodes.web = { \(node) profiles.system.path = \(profile); }; }
                        """
                )
                let shell = TestShell()
                #expect(await shell.run("load \(flake); deploy web.system", file: "h.dsh") == .failed)
                let errors = shell.takeErrors()
                #expect(
                    errors.hasPrefix(
                        "h.dsh:1:1: error: \(attribute): '\(hostile)' starts with '-', so ssh would read it as an option"
                    ),
                    "\(errors)"
                )
                #expect(!FileManager.default.fileExists(atPath: marker))
            }

            let flake = try fixture.write(nodes: [("web", 1, "{ system.path = \(profile); }")])
            let shell = TestShell()
            for key in ["hostname", "sshUser"] {
                #expect(await shell.run("load \(flake); set \(key) '\(hostile)'", file: "s.dsh") == .failed)
                #expect(
                    shell.takeErrors().hasPrefix(
                        "s.dsh:1:\(flake.count + 8): error: setting '\(key)' '\(hostile)' starts with '-', so ssh would read it as an option"
                    )
                )
            }
            #expect(await shell.run("deploy web.system") == .success, "\(shell.takeErrors())")
            #expect(fixture.activations(of: "safe").count == 1)
            #expect(!FileManager.default.fileExists(atPath: marker))
        }
    }
}
