import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: real `nix eval` of flakes written here; `load` reads them as deploy-rs does.
@Suite(.tags(.large), .timeLimit(.minutes(2)))
@MainActor
struct ReadingTests {
    nonisolated static let path = FlakeFixtures.profile("reading")

    @Test(arguments: [
        (
            "{ nodes.x = 5; nodes.web = { hostname = \"h\"; profiles.system.path = \(path); }; }",
            "deploy.nodes.x: expected an attribute set, got integer"
        ),
        (
            "{ nodes.web = { hostname = \"h\"; profiles.x = 5; profiles.system.path = \(path); }; }",
            "deploy.nodes.web.profiles.x: expected an attribute set, got integer"
        ),
        (
            "{ nodes.web = { hostname = \"h\"; sshOpts = null; profiles.system.path = \(path); }; }",
            "deploy.nodes.web.sshOpts: expected a list of strings, got null"
        ),
        (
            "{ nodes.web = { hostname = \"h\"; profiles.system = { path = \(path); magicRollback = \"no\"; }; }; }",
            "deploy.nodes.web.profiles.system.magicRollback: expected a boolean, got string"
        ),
        (
            "{ nodes.web = { hostname = \"h\"; profiles.\"../../../../tmp/escaped\".path = \(path); }; }",
            #"deploy.nodes.web.profiles."../../../../tmp/escaped": profile name '../../../../tmp/escaped' contains '/', "#
                + "so it would reach another directory on the target"
        ),
    ])
    func testLoadRefusesWhatDeployRsRefusesNamingTheAttribute(deploy: String, message: String) async throws {
        let flake = try FlakeFixtures.write(deploy: deploy)
        let shell = TestShell()
        #expect(await shell.run("load \(flake)", file: "r.dsh") == .failed)
        let errors = shell.takeErrors()
        #expect(errors.hasPrefix("r.dsh:1:1: error: \(message)\n"), "\(errors)")
    }

    @Test func testAUserDeploysshRefusesLoadsAndCheckReportsItForItsNode() async throws {
        let flake = try FlakeFixtures.write(
            deploy: """
                { sshUser = "root";
                  nodes.ok = { hostname = "h1"; profiles.system.path = \(Self.path); };
                  nodes.web = { hostname = "h2"; user = "a/b"; profiles.system.path = \(Self.path); }; }
                """
        )
        let shell = TestShell()
        #expect(await shell.run("load \(flake)") == .success)
        _ = shell.takeOutput()
        _ = shell.takeErrors()
        #expect(await shell.run("check", file: "c.dsh") == .failed)
        #expect(
            shell.takeOutput() == """
                error: nodes.web.user: 'a/b' contains '/', so it would reach another directory on the target; \
                deploysh does not deploy a node with it
                1 error, 0 warnings

                """
        )
        #expect(shell.takeErrors() == "c.dsh:1:1: error: check found 1 error\n")
        #expect(await shell.run("deploy web.system", file: "d.dsh") == .failed)
        #expect(shell.takeOutput().hasPrefix("deploy summary: 1 failed (web.system: deploy.nodes.web.user 'a/b' "))
        let errors = shell.takeErrors()
        #expect(
            errors.hasSuffix(
                """
                d.dsh:1:1: error: connect failed on web.system: deploy.nodes.web.user 'a/b' contains '/', so it would \
                reach another directory on the target; deploysh does not deploy this node with it
                hint: deploysh refuses a user that ssh could read as an option or that would leave the profiles \
                directory on the target (/nix/var/nix/profiles/per-user/USER); set a plain user name in the flake.

                """
            ),
            "\(errors)"
        )
    }

    @Test func testNodeNamesDifferingOnlyInNormalFormStayApart() async throws {
        let flake = try FlakeFixtures.write(
            deploy: """
                { sshUser = "root";
                  nodes."caf\u{E9}" = { hostname = "nfc.example"; profiles.system.path = \(Self.path); };
                  nodes."cafe\u{301}" = { hostname = "nfd.example"; profiles.system.path = \(Self.path); }; }
                """
        )
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake); nodes; show 'cafe\u{301}.system'; show 'caf\u{E9}.system'") == .success)
        let lines = try shell.takeJSONLines()
        #expect(lines[1]["nodes"]?.arrayValue?.count == 2)
        #expect(lines[2]["hostname"]?.stringValue == "nfd.example")
        #expect(lines[3]["hostname"]?.stringValue == "nfc.example")
    }

    @Test func testSelectingInAnotherFlakeIsAnError() async throws {
        let flake = try FlakeFixtures.write(
            deploy: "{ sshUser = \"root\"; nodes.web1 = { hostname = \"h\"; profiles.system.path = \(Self.path); }; }"
        )
        let shell = TestShell()
        #expect(await shell.run("load \(flake); select '\(flake)#web1.system'") == .success)
        _ = shell.takeOutput()
        #expect(await shell.run("select 'path:/other#web1.system'", file: "s.dsh") == .failed)
        #expect(
            shell.takeErrors() == """
                s.dsh:1:1: error: target 'path:/other#web1.system' names flake 'path:/other', but the loaded flake is '\(flake)'
                hint: Run `load path:/other` first, or leave the flake out of the target.

                """
        )
    }

    @Test func testUsersFollowDeployRs() async throws {
        let flake = try FlakeFixtures.write(
            deploy: """
                { nodes.web = { hostname = "h"; profiles.system.path = \(Self.path);
                                profiles.app = { path = \(Self.path); user = "app"; }; }; }
                """
        )
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake); show web.app") == .success)
        #expect(try shell.takeJSONLines().last?["sshDestination"]?.stringValue == "root@h")
        let plain = TestShell()
        #expect(await plain.run("load \(flake); generations web.system", file: "u.dsh") == .failed)
        let errors = plain.takeErrors()
        #expect(
            errors.contains("error: neither 'user' nor 'sshUser' is set for profile 'system' of node 'web'\n"),
            "\(errors)"
        )
    }

    @Test func testAnEvaluationErrorShowsNixsErrorNotTheLoadExpression() async throws {
        let flake = try FlakeFixtures.write(deploy: "throw \"broken deploy\"")
        let shell = TestShell()
        #expect(await shell.run("load \(flake)", file: "e.dsh") == .failed)
        let errors = shell.takeErrors()
        #expect(errors.contains("--apply EXPR"), "\(errors)")
        #expect(!errors.contains(LoadExpression.hasPathAttribute), "\(errors)")
        #expect(errors.contains("broken deploy"))
        #expect(errors.hasSuffix("hint: Fix the Nix error shown above, then run `load \(flake)` again.\n"), "\(errors)")
    }
}
