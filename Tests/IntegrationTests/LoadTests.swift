import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: real `nix eval` on real flakes, through the real shell session.
@Suite(.tags(.large), .timeLimit(.minutes(2)))
@MainActor
struct LoadTests {
    static let fleet = """
        {
            sshUser = "root";
            nodes = {
              web1 = { hostname = "10.0.0.1"; profilesOrder = [ "system" ];
                profiles = { system = { path = \(FlakeFixtures.profile("web1-system")); };
                             app = { path = \(FlakeFixtures.profile("web1-app")); user = "app"; }; }; };
              web2 = { hostname = "10.0.0.2"; confirmTimeout = 60;
                profiles.system = { path = \(FlakeFixtures.profile("web2-system")); }; };
              bad = { hostname = "10.0.0.9";
                profiles.broken = { path = throw "broken on purpose"; }; };
            };
          }
        """

    @Test func testLoadCountsNodesAndProfilesWithoutEvaluatingPaths() async throws {
        let flake = try FlakeFixtures.write(deploy: Self.fleet)
        let shell = TestShell()
        #expect(await shell.run("load \(flake)") == .success)
        let output = shell.takeOutput()
        #expect(output.hasPrefix("loaded \(flake): 3 nodes, 4 profiles (eval "), "\(output)")
        #expect(shell.takeErrors() == "")
    }

    @Test func testThrowingProfileDoesNotBreakNodesOrShow() async throws {
        let flake = try FlakeFixtures.write(deploy: Self.fleet)
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake)\nnodes\nshow bad.broken") == .success)
        let lines = try shell.takeJSONLines()
        #expect(lines.count == 3)
        let nodes = try #require(lines[1]["nodes"]?.arrayValue)
        #expect(nodes.compactMap { $0["name"]?.stringValue } == ["bad", "web1", "web2"])
        #expect(nodes[1]["profiles"]?.stringArrayValue == ["system", "app"])
        #expect(lines[2]["profile"]?.stringValue == "broken")
    }

    /// A profile `path` that is not a store path never reaches nix or a node: `plan` (and so
    /// `build` and `deploy`) refuses it, naming the attribute.
    @Test(arguments: ["--version", "/etc", "relative/dir", "github:owner/repo"])
    func testAProfilePathThatIsNotAStorePathIsRefusedNamingTheAttribute(path: String) async throws {
        let flake = try FlakeFixtures.write(
            deploy: """
                { nodes.web = { hostname = "10.0.0.1"; profiles.system.path = \(FlakeFixtures.nixString(path)); }; }
                """
        )
        let shell = TestShell()
        #expect(await shell.run("load \(flake)\nplan web.system") == .failed)
        #expect(
            shell.takeErrors()
                == "test.dsh:2:1: error: deploy.nodes.web.profiles.system.path is '\(path)', not a store path; nothing was built\n"
                + "hint: A profile's `path` must be a derivation or a path in /nix/store "
                + "(for example `deploy-rs.lib.x86_64-linux.activate.nixos self.nixosConfigurations.web`).\n"
        )
    }

    @Test func testPlanFailsOnlyWhenTheBrokenProfileIsSelected() async throws {
        let flake = try FlakeFixtures.write(deploy: Self.fleet)
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake)\nselect 'web*'\nplan") == .success)
        let plan = try #require(try shell.takeJSONLines().last)
        let targets = try #require(plan["targets"]?.arrayValue)
        #expect(
            targets.map { "\($0["node"]?.stringValue ?? "").\($0["profile"]?.stringValue ?? "")" } == [
                "web1.system", "web1.app", "web2.system",
            ]
        )
        #expect(targets[0]["storePath"]?.stringValue?.hasSuffix("-web1-system") == true)
        #expect(targets[1]["profilePath"]?.stringValue == "/nix/var/nix/profiles/per-user/app/app")

        let failing = TestShell()
        #expect(await failing.run("load \(flake)\nselect bad web1.system\nplan", file: "plan.dsh") == .failed)
        let errors = failing.takeErrors()
        #expect(
            errors.hasPrefix("plan.dsh:3:1: error: cannot evaluate the path of profile 'bad.broken' (exit status 1)")
        )
        #expect(errors.contains("broken on purpose"))
    }

    @Test func testUnknownNodeInScriptIsLocatedAndSuggestsNearestName() async throws {
        let flake = try FlakeFixtures.write(deploy: Self.fleet)
        let shell = TestShell()
        #expect(await shell.run("load \(flake)\n# comment\n  select web3", file: "inspect.dsh") == .failed)
        #expect(
            shell.takeErrors() == """
                inspect.dsh:3:3: error: no node named 'web3'
                hint: Did you mean 'web1' or 'web2'? Run `nodes` to list them.

                """
        )
    }

    @Test func testMissingFlakeIsAClearError() async throws {
        let shell = TestShell()
        #expect(await shell.run("load path:/nonexistent/deploysh-flake", file: "s.dsh") == .failed)
        let errors = shell.takeErrors()
        #expect(
            errors.hasPrefix("s.dsh:1:1: error: cannot read flake 'path:/nonexistent/deploysh-flake' (exit status 1)")
        )
        #expect(errors.contains("hint: Check the flake reference"))
    }

    @Test func testFlakeWithoutDeployOutputIsAClearError() async throws {
        let directory = try TestEnvironment.temporaryDirectory("nodeploy")
        try "{ outputs = { self }: { }; }".write(
            to: directory.appendingPathComponent("flake.nix"),
            atomically: true,
            encoding: .utf8
        )
        let shell = TestShell()
        #expect(await shell.run("load path:\(directory.path)") == .failed)
        let errors = shell.takeErrors()
        #expect(
            errors.hasPrefix(
                "test.dsh:1:1: error: flake 'path:\(directory.path)' has no 'deploy' output (exit status 1)"
            )
        )
    }

    @Test func testDeployThatIsNotAnAttributeSetIsAClearError() async throws {
        let flake = try FlakeFixtures.write(deploy: "[ 1 2 ]")
        let shell = TestShell()
        #expect(await shell.run("load \(flake)") == .failed)
        #expect(
            shell.takeErrors().hasPrefix(
                "test.dsh:1:1: error: the flake's 'deploy' output is a list, not an attribute set"
            )
        )
    }

    @Test func testHostileNodeNamesReachNixOnlyEscaped() async throws {
        let deploy = #"""
            { nodes = { "we\"b" = { hostname = "h1"; profiles.system.path = \#(FlakeFixtures.profile("q")); };
                        "x\${builtins.abort \"no\"}" = { hostname = "h2"; profiles."a.b".path = \#(FlakeFixtures.profile("d")); }; }; }
            """#
        let flake = try FlakeFixtures.write(deploy: deploy)
        let shell = TestShell(json: true)
        let script = #"load \#(flake); select '"we\"b".system' '"x${builtins.abort \"no\"}"."a.b"'; plan"#
        #expect(await shell.run(script) == .success, "\(shell.takeErrors())")
        let plan = try #require(try shell.takeJSONLines().last)
        let nodes = plan["targets"]?.arrayValue?.compactMap { $0["node"]?.stringValue }
        #expect(nodes == [#"we"b"#, #"x${builtins.abort "no"}"#])
    }
}
