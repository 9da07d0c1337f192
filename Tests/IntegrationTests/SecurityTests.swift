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
                // A hostile hostname refuses the load; a hostile sshUser loads and refuses only
                // deploying its node, before any ssh call. Either way it is named, and nothing ran.
                #expect(errors.contains(attribute), "\(errors)")
                #expect(errors.contains("'\(hostile)' starts with '-', so ssh would read it as an option"), "\(errors)")
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

    @Test func testRuntimeFilesArePrivateAndRemovedOnEveryExit() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            // An option with a blank makes deploysh write the ssh wrapper for nix.
            let profiles =
                "{ system = { path = \(fixture.profile("private")); sshOpts = [ \"-o\" \"ServerAliveCountMax 7\" ]; }; }"
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let shell = TestShell()
            #expect(await shell.run("load \(flake); deploy web.system") == .success, "\(shell.takeErrors())")
            let runtime = shell.session.environment.runtimeDirectory
            var seen: [String] = []
            let walker = FileManager.default.enumerator(atPath: runtime)
            while let name = walker?.nextObject() as? String, seen.count < 100 {
                var info = stat()
                try #require(lstat(runtime + "/" + name, &info) == 0)
                let mode = Int(info.st_mode & 0o7777)
                let kind = info.st_mode & S_IFMT
                seen.append(name)
                if kind == S_IFDIR || name.hasSuffix("/ssh") {
                    #expect(mode == 0o700, "\(name): \(String(mode, radix: 8))")
                } else if kind == S_IFREG {
                    #expect(mode == 0o600, "\(name): \(String(mode, radix: 8))")
                } else {
                    #expect(mode & 0o077 == 0, "\(name): \(String(mode, radix: 8))")
                }
            }
            #expect(seen.contains { $0.hasSuffix("/ssh") && $0.contains("bin-") }, "\(seen)")
            await shell.session.shutdown()
            #expect(!FileManager.default.fileExists(atPath: runtime))

            let runs: [(arguments: [String], interrupt: Bool)] = [
                (["-c", "load \(flake); deploy web.system"], false),
                (["-c", "load \(flake); deploy nope.system"], false),
                (["-c", "load \(flake); sleep 60"], true),
                (["deploy", "\(flake)#web.system", "-s"], false),
            ]
            for run in runs {
                let base = try TestEnvironment.temporaryDirectory("base").path
                try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: base)
                let deployer = try await DeployerProcess.start(
                    arguments: run.arguments,
                    environment: ["TMPDIR": base, "XDG_RUNTIME_DIR": nil]
                )
                if run.interrupt {
                    #expect(await deployer.waitForOutput(containing: "loaded", seconds: 60))
                    deployer.interrupt()
                }
                #expect(await deployer.waitForExit(seconds: 120) != nil, "\(run.arguments)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: base) == [], "\(run.arguments)")
            }
        }
    }

    @Test func testRemoteOutputIsShownVisibleAndSSHSecretsMasked() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let hostile = #"printf 'out\033]0;PWNED\007\033[2J nul\000 end\n'"#
            let profiles = """
                { good.path = \(fixture.profile("good", extra: hostile));
                  bad = { path = \(fixture.profile("bad", extra: hostile + " >&2; exit 1"));
                          sshOpts = [ "-o" "SetEnv=TOKEN=hunter2" ]; }; }
                """
            let flake = try fixture.write(nodes: [("web", 1, profiles)])
            let shell = TestShell()
            #expect(await shell.run("load \(flake); deploy web.good") == .success, "\(shell.takeErrors())")
            #expect(await shell.run("show web.bad; deploy web.bad") == .failed)
            let text = shell.takeOutput() + shell.takeErrors()
            #expect(!text.contains("\u{1B}"), "\(text)")
            #expect(!text.contains("\0"))
            #expect(text.contains(#"out\x1b]0;PWNED\x07\x1b[2J nul\0 end"#), "\(text)")
            #expect(!text.contains("hunter2"), "\(text)")
            #expect(text.contains("-o 'SetEnv=TOKEN=***'"), "\(text)")

            let json = TestShell(json: true)
            #expect(await json.run("load \(flake); deploy web.good") == .success)
            let events = json.takeErrors()
            #expect(!events.contains("\u{1B}"))
            let messages = try events.split(separator: "\n").compactMap {
                let event = try JSONValue.parse(String($0))
                return event["line"]?.stringValue ?? event["message"]?.stringValue
            }
            #expect(messages.contains { $0.contains("out\u{1B}]0;PWNED\u{07}") }, "\(messages)")
        }
    }

    @Test func testAnUnsafeRuntimeBaseIsRefusedBeforeAnythingRuns() async throws {
        let base = try TestEnvironment.temporaryDirectory("unsafe").path
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: base)
        let runner = SubprocessRunner(environment: [
            "XDG_RUNTIME_DIR": base, "XDG_STATE_HOME": TestEnvironment.stateHome,
        ])
        let result = try await runner.run(Invocation(TestEnvironment.deployshBinary, ["-c", "echo ran"]))
        #expect(result.status == .exited(1))
        #expect(result.standardOutput == "")
        #expect(
            result.standardErrorTail.first
                == "error: the runtime directory base '\(base)' is writable by other users (mode 777)"
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: base) == [])
    }
}
