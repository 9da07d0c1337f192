import DeployKit
import DeployShell
import DeployTestSupport
import Testing

/// Large: the read-side commands on a real flake, their JSON shapes and their errors.
@Suite(.tags(.large), .timeLimit(.minutes(2)))
@MainActor
struct ShellCommandTests {
    @Test func testShowReportsEffectiveSettingsSourcesAndProfilePath() async throws {
        let flake = try FlakeFixtures.write(deploy: LoadTests.fleet)
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake); set tempPath /var/tmp; show web2.system; show web1.app") == .success)
        let lines = try shell.takeJSONLines()
        let web2 = lines[2]
        #expect(web2["node"]?.stringValue == "web2")
        #expect(web2["hostname"]?.stringValue == "10.0.0.2")
        #expect(web2["settings"]?["confirmTimeout"]?.intValue == 60)
        #expect(web2["settings"]?["sudo"]?.stringValue == "sudo -u")
        #expect(web2["settings"]?["magicRollback"]?.boolValue == true)
        #expect(web2["sources"]?["confirmTimeout"]?.stringValue == "node")
        #expect(web2["sources"]?["sshUser"]?.stringValue == "deploy")
        #expect(web2["sources"]?["tempPath"]?.stringValue == "override")
        #expect(web2["sources"]?["autoRollback"]?.stringValue == "default")
        #expect(web2["profilePath"]?.stringValue == "/nix/var/nix/profiles/system")
        #expect(lines[3]["profilePath"]?.stringValue == "/nix/var/nix/profiles/per-user/app/app")
        #expect(
            lines[3]["profilePathFallback"]?.stringValue == "${XDG_STATE_HOME:-$HOME/.local/state}/nix/profiles/app"
        )
    }

    @Test func testAScriptWhoseExecCannotReachItsHostFailsAtTheExecsLocation() async throws {
        // Port 9 on the loopback address: nothing listens, so ssh is refused at once.
        let flake = try FlakeFixtures.write(
            deploy: """
                { sshUser = "root"; sshOpts = [ "-p" "9" ];
                  nodes.down = { hostname = "127.0.0.1"; profiles.system.path = \(FlakeFixtures.profile("down")); }; }
                """
        )
        let shell = TestShell()
        let outcome = await shell.run(
            "load \(flake)\n# the node is down\nexec down -- hostname\necho never",
            file: "down.dsh"
        )
        #expect(outcome == .failed)
        #expect(!shell.takeOutput().contains("never"))
        let errors = shell.takeErrors()
        #expect(errors.hasSuffix("down.dsh:3:1: error: exec failed on 1 of 1 node: down (not reached)\n"), "\(errors)")
    }

    @Test func testShowSaysAPerUserProfilePathIsResolvedOnTheTarget() async throws {
        let flake = try FlakeFixtures.write(deploy: LoadTests.fleet)
        let shell = TestShell()
        #expect(await shell.run("load \(flake); show web1.app; show web2.system") == .success)
        let text = shell.takeOutput()
        #expect(
            text.contains(
                "profile path:    resolved on the target: /nix/var/nix/profiles/per-user/app/app if "
                    + "/nix/var/nix/profiles/per-user/app exists, else ${XDG_STATE_HOME:-$HOME/.local/state}/nix/profiles/app\n"
            ),
            "\(text)"
        )
        #expect(text.contains("profile path:    /nix/var/nix/profiles/system\n"), "\(text)")
    }

    @Test func testSetRejectsAValueOfTheWrongType() async throws {
        let shell = TestShell()
        #expect(await shell.run("set confirmTimeout soon", file: "s.dsh") == .failed)
        #expect(
            shell.takeErrors().hasPrefix("s.dsh:1:1: error: setting 'confirmTimeout' expects an integer, not 'soon'")
        )
    }

    @Test func testUnknownCommandSuggestsTheNearestName() async throws {
        let shell = TestShell()
        #expect(await shell.run("nodse", file: "s.dsh") == .failed)
        #expect(shell.takeErrors().hasPrefix("s.dsh:1:1: error: unknown command 'nodse'; did you mean 'nodes'?"))
    }

    @Test func testUnterminatedQuoteStopsTheScriptBeforeRunningIt() async throws {
        let shell = TestShell()
        #expect(await shell.run("echo first\nselect web1 'web2\necho never", file: "q.dsh") == .failed)
        #expect(shell.takeOutput() == "first\n")
        #expect(shell.takeErrors().hasPrefix("q.dsh:2:13: error: unterminated single quote"))
    }

    @Test func testKeepGoingRunsOnAndStillFails() async throws {
        let shell = TestShell()
        #expect(await shell.run("nodes\necho after", keepGoing: true) == .failed)
        #expect(shell.takeOutput() == "after\n")
    }

    @Test func testLoadRefusesTypeAndOrderErrorsShowingTyposAndCheckReportsTypos() async throws {
        let deploy = """
            { nodes.web = { hostname = "h"; hostnme = "x"; confirmTimeout = "soon"; profilesOrder = [ "sytem" ];
                profiles.system.path = \(FlakeFixtures.profile("s")); }; }
            """
        let flake = try FlakeFixtures.write(deploy: deploy)
        let shell = TestShell()
        #expect(await shell.run("load \(flake)", file: "c.dsh") == .failed)
        #expect(
            shell.takeErrors() == """
                c.dsh:1:1: error: deploy.nodes.web.confirmTimeout: expected an integer, got string (and 1 more)
                    deploy.nodes.web.profilesOrder: 'sytem' is not a profile of node 'web'
                    warning: deploy.nodes.web.hostnme: unknown attribute; did you mean 'hostname'?
                hint: Fix these attributes in the flake (deploy-rs refuses them too), then load it again.

                """
        )
        let typo = try FlakeFixtures.write(
            deploy:
                "{ nodes.web = { hostname = \"h\"; hostnme = \"x\"; profiles.system.path = \(FlakeFixtures.profile("s")); }; }"
        )
        let json = TestShell(json: true)
        #expect(await json.run("load \(typo); check") == .success)
        let check = try #require(try json.takeJSONLines().last)
        #expect(check["ok"]?.boolValue == true)
        let problems = check["problems"]?.arrayValue ?? []
        #expect(problems.compactMap { $0["path"]?.stringValue } == ["nodes.web.hostnme"])
        #expect(problems.first?["severity"]?.stringValue == "warning")
    }

    @Test func testEvalAppliesAFunctionToTheDeployOutput() async throws {
        let flake = try FlakeFixtures.write(deploy: LoadTests.fleet)
        let shell = TestShell(json: true)
        #expect(
            await shell.run("load \(flake); eval --apply 'd: builtins.attrNames d.nodes'; eval nodes.web2.hostname")
                == .success
        )
        let lines = try shell.takeJSONLines()
        #expect(lines[1]["value"] == ["bad", "web1", "web2"])
        #expect(lines[2]["value"] == "10.0.0.2")
        #expect(lines[2]["command"] == "eval")
    }

    @Test func testJSONErrorsAreOneObjectWithLocation() async throws {
        let shell = TestShell(json: true)
        #expect(await shell.run("nodes", file: "j.dsh") == .failed)
        let error = try JSONValue.parse(shell.takeErrors())
        #expect(error["error"]?["message"]?.stringValue == "no flake is loaded")
        #expect(error["error"]?["location"] == ["file": "j.dsh", "line": 1, "column": 1])
    }

    @Test func testANodeWithoutHostnameIsRefusedAtLoadAsDeployRsDoes() async throws {
        let flake = try FlakeFixtures.write(deploy: "{ nodes.a.profiles.p.path = \(FlakeFixtures.profile("nohost")); }")
        let shell = TestShell()
        #expect(await shell.run("load \(flake); copy a.p", file: "h.dsh") == .failed)
        #expect(
            shell.takeErrors().hasPrefix("h.dsh:1:1: error: deploy.nodes.a: missing required attribute 'hostname'\n")
        )
    }
}
