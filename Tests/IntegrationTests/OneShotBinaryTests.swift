import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// The real `deploysh` binary: exit statuses, `-V`, `-d` and the completion scripts.
@Suite(.serialized, .timeLimit(.minutes(3)))
@MainActor
struct OneShotBinaryTests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs the built binary with standard input from /dev/null; waits at most `seconds`.
    static func deploysh(_ arguments: [String], environment extra: [String: String] = [:], seconds: Int = 60)
        async throws -> Run
    {
        let directory = try TestEnvironment.temporaryDirectory("binary")
        let outputPath = directory.appendingPathComponent("out").path
        let errorPath = directory.appendingPathComponent("err").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.deployshBinary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(TestEnvironment.binaryEnvironment) { $1 }
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        for _ in 0..<(seconds * 10) where process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("deploysh \(arguments) still ran after \(seconds) s")
        }
        return Run(
            status: process.terminationStatus,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }

    /// A one-shot deploy that stops before any plan (here: `nix flake check` fails) still ends
    /// its `--json` output with a summary event, so a machine reading it learns nothing deployed.
    @Test(.tags(.large)) func testJSONEndsWithASummaryWhenTheFlakeCheckFails() async throws {
        let directory = try TestEnvironment.temporaryDirectory("failing-checks")
        let text = """
            {
              outputs = { self }: {
                checks.\(FlakeFixtures.system).broken = throw "this check fails on purpose";
                deploy.nodes.web = { hostname = "10.0.0.1"; sshUser = "root"; profiles.system.path = "/nix/store/x"; };
              };
            }
            """
        try text.write(to: directory.appendingPathComponent("flake.nix"), atomically: true, encoding: .utf8)
        let run = try await Self.deploysh(["deploy", "--json", "path:" + directory.path + "#web"])
        #expect(run.status == 1)
        let last = try JSONValue.parse(String(run.output.split(separator: "\n").last ?? ""))
        #expect(last["event"]?.stringValue == "summary", "\(run.output)")
        #expect(last["ok"]?.boolValue == false)
        #expect(last["targets"]?.arrayValue?.isEmpty == true)
        #expect(run.errors.contains("nix flake check failed"), "\(run.errors)")
    }

    /// One-shot hints name what can be done on the command line, and fit the cause.
    @Test(.tags(.large)) func testOneShotHintsFitTheCommandLine() async throws {
        let flake = try FlakeFixtures.write(
            deploy:
                "{ sshUser = \"root\"; nodes.web1 = { hostname = \"h\"; profiles.system.path = \(FlakeFixtures.profile("h")); }; }"
        )
        let unknown = try await Self.deploysh(["deploy", "-s", flake + "#web3"])
        #expect(unknown.status == 1)
        #expect(
            unknown.errors.hasSuffix(
                """
                hint: Did you mean 'web1'? Run `deploysh -c 'load FLAKE; nodes'` to list what the flake defines.

                """
            ),
            "\(unknown.errors)"
        )
        let missing = try await Self.deploysh(["deploy", "path:/nonexistent/deploysh-flake#web1"])
        #expect(missing.status == 1)
        #expect(
            missing.errors.hasSuffix(
                """
                hint: nix cannot find the flake 'path:/nonexistent/deploysh-flake': check the path or reference \
                before '#' in the target (a directory with a flake.nix, or a flake URL).

                """
            ),
            "\(missing.errors)"
        )
    }

    @Test(.tags(.medium)) func testUsageErrorsExit64AndNameTheFlag() async throws {
        let timeout = try await Self.deploysh(["deploy", "--confirm-timeout", "x"])
        #expect(timeout.status == 64)
        #expect(timeout.errors.contains("--confirm-timeout"), "\(timeout.errors)")
        let rollback = try await Self.deploysh(["deploy", "--magic-rollback", "maybe", ".#web"])
        #expect(rollback.status == 64)
        #expect(rollback.errors.contains("--magic-rollback"), "\(rollback.errors)")
    }

    @Test(.tags(.medium)) func testVersionAndInteractiveWithoutATerminal() async throws {
        let version = try await Self.deploysh(["deploy", "-V"])
        #expect(version.status == 0)
        #expect(version.output == "deploysh \(DeployshVersion.current)\n")
        for flag in ["--version", "-V"] {
            let shellVersion = try await Self.deploysh([flag])
            #expect(shellVersion.status == 0, "\(flag): \(shellVersion.errors)")
            #expect(shellVersion.output == "deploysh \(DeployshVersion.current)\n")
        }
        let interactive = try await Self.deploysh(["deploy", "-i", "-s", "path:/nonexistent#web"])
        #expect(interactive.status == 1)
        #expect(interactive.errors.contains("--interactive needs a terminal"), "\(interactive.errors)")
    }

    @Test(.tags(.medium)) func testTheTwoKeepGoingFlagsSayWhatTheyGoOnAfter() async throws {
        let shell = try await Self.deploysh(["--help"])
        #expect(shell.status == 0)
        #expect(
            shell.output.contains(
                """
                  --keep-going            Go on after a failed command of a script, -c or piped
                                          input; exit 1 at the end if any failed. (To go on
                                          after a failed node, use `deploy --keep-going`.)
                """
            ),
            "\(shell.output)"
        )
        let deploy = try await Self.deploysh(["deploy", "--help"])
        #expect(deploy.status == 0)
        #expect(
            deploy.output.contains(
                """
                  --keep-going            Go on after a failed node: deploy the other nodes and
                                          keep them (deploysh).
                """
            ),
            "\(deploy.output)"
        )
    }

    @Test(.tags(.medium)) func testHelpListsTheShellsCommands() async throws {
        let help = try await Self.deploysh(["--help"])
        #expect(help.status == 0)
        #expect(
            help.output.contains(
                """
                The shell's commands (in the REPL, a script, -c or piped input; `help COMMAND`
                inside the shell shows one's usage):

                  load 
                """
            ),
            "\(help.output)"
        )
        #expect(help.output.contains(" Evaluate a flake's deploy output (settings and names only).\n"))
        for name in CommandTable.names {
            #expect(help.output.contains("\n  \(name) "), "deploysh --help does not list \(name)")
        }
    }

    @Test(.tags(.medium)) func testTheCommittedManPageIsTheGeneratedOne() async throws {
        let root = TestEnvironment.repositoryRoot.path
        let generated = try await SubprocessRunner().run(
            Invocation(root + "/scripts/manpage", [TestEnvironment.deployshBinary])
        )
        try #require(generated.succeeded, "\(generated.standardErrorTail.joined(separator: "\n"))")
        let committed = try String(contentsOfFile: root + "/docs/deploysh.1", encoding: .utf8)
        #expect(
            generated.standardOutput == committed,
            "docs/deploysh.1 is out of date: run `scripts/manpage > docs/deploysh.1`"
        )
        #expect(committed.contains(".SH SHELL COMMANDS"))
        #expect(committed.contains("USAGE: select [\\-\\-add] [\\-\\-clear] [<targets> ...]"))
    }

    @Test(.tags(.medium)) func testCompletionScriptsCoverTheShellAndDeploy() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await Self.deploysh(["--generate-completion-script", shell])
            #expect(script.status == 0, "\(shell): \(script.errors)")
            for word in ["keep-going", "deploy", "ssh-opts", "magic-rollback", "skip-checks", "result-path"] {
                #expect(script.output.contains(word), "\(shell) completion lacks \(word)")
            }
        }
        let bash = try await Self.deploysh(["--generate-completion-script", "bash"])
        let file = try TestEnvironment.temporaryDirectory("completion").appendingPathComponent("deploysh.bash")
        try bash.output.write(to: file, atomically: true, encoding: .utf8)
        let syntax = try await SubprocessRunner().run(Invocation("bash", ["-n", file.path]))
        #expect(syntax.succeeded, "\(syntax.standardErrorTail)")
        // Tab after `deploysh deploy --ssh` and after `--magic-rollback`, as bash calls the function.
        let complete = """
            source "$1"
            COMP_WORDS=(deploysh deploy --ssh); COMP_CWORD=2; _deploysh deploysh --ssh deploy; echo "${COMPREPLY[*]}"
            COMPREPLY=(); COMP_WORDS=(deploysh deploy --magic-rollback ''); COMP_CWORD=3
            _deploysh deploysh '' --magic-rollback; echo "${COMPREPLY[*]}"
            """
        let completed = try await SubprocessRunner().run(Invocation("bash", ["-c", complete, "bash", file.path]))
        #expect(completed.standardOutput == "--ssh-user --ssh-opts\ntrue false\n", "\(completed.standardErrorTail)")
    }

    /// A failed activation left on its new generation (autoRollback off): in the one-shot, the
    /// error's hint and the summary row's hint (JSON) name a command line, not the REPL's `rollback`.
    @Test(.tags(.large)) func testAFailedActivationHintsAtACommandLineInTheOneShot() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(
                nodes: [("n1", 1, "{ p = { path = \(fixture.profile("broken", extra: "exit 3")); }; }")]
            )
            let hint = "Go back with `deploysh -c 'load FLAKE; rollback n1.p'`, or fix the activation and deploy again."
            let text = try await Self.deploysh(["deploy", "-s", flake + "#n1.p", "--auto-rollback", "false"])
            #expect(text.status == 1)
            #expect(text.errors.contains("\nhint: \(hint)\n"), "\(text.errors)")
            #expect(!text.errors.contains("Run `rollback`"), "\(text.errors)")
            let json = try await Self.deploysh(["deploy", "--json", "-s", flake + "#n1.p", "--auto-rollback", "false"])
            let summary = try JSONValue.parse(String(json.output.split(separator: "\n").last ?? ""))
            let row = try #require(summary["targets"]?.arrayValue?.first, "\(json.output)")
            #expect(row["hint"]?.stringValue == hint, "\(json.output)")
        }
    }

    @Test(.tags(.large)) func testDebugLogsPrintEveryCommandAndFailedChecksExit1() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let failing = """
                { broken = builtins.derivation { name = "broken-\(fixture.nonce)"; system = \(FlakeFixtures.nixString(FlakeFixtures.system)); builder = "/bin/sh"; args = [ "-c" "exit 1" ]; }; }
                """
            let flake = try OneShotDeployTests.writeFlake(fixture, checks: failing)
            let state = try TestEnvironment.temporaryDirectory("state").path
            let environment = ["DEPLOYSH_WEB_HOST": testbed.address(1), "XDG_STATE_HOME": state]
            let arguments = ["deploy", "\(flake)#\"db:1\".system", "--ssh-opts", "-F \(testbed.sshConfig)"]
            let refused = try await Self.deploysh(arguments + ["--", "--impure"], environment: environment)
            #expect(refused.status == 1)
            // A run that stopped before deploying anything leaves no log directory and says none.
            #expect(!refused.errors.contains("full logs:"), "\(refused.errors)")
            let logs = state + "/deploysh/logs"
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: logs)) ?? []).isEmpty)
            #expect(refused.errors.contains("nix flake check failed for '\(flake)'"), "\(refused.errors)")
            #expect(refused.errors.contains("[all] check \(flake) ...\n"), "\(refused.errors)")
            #expect(refused.errors.contains("[all] check failed: \(flake)\n"), "\(refused.errors)")
            #expect(fixture.activations(of: "db1").isEmpty)

            let deployed = try await Self.deploysh(
                arguments + ["-s", "-d", "--", "--impure"],
                environment: environment
            )
            #expect(deployed.status == 0, "\(deployed.errors)")
            #expect(deployed.errors.contains("$ nix --extra-experimental-features 'nix-command flakes' eval --json"))
            #expect(
                deployed.errors.contains("$ nix --extra-experimental-features 'nix-command flakes' build --no-link")
            )
            #expect(!deployed.errors.contains("flake check"))
            #expect(!deployed.errors.contains("[all] check"))
            #expect(fixture.activations(of: "db1").count == 1)

            // Every run keeps each node's full log under the state directory and says where.
            let runs = try FileManager.default.contentsOfDirectory(atPath: logs)
            #expect(runs.count == 1 && runs[0].hasPrefix("deploy-"), "\(runs)")
            let run = logs + "/" + (runs.first ?? "")
            #expect(deployed.errors.contains("\nfull logs: \(run)\n"), "\(deployed.errors)")
            let files = try FileManager.default.contentsOfDirectory(atPath: run)
            let texts = files.map { (try? String(contentsOfFile: run + "/" + $0, encoding: .utf8)) ?? "" }
            #expect(files.contains("local.log"), "\(files)")  // the build
            #expect(texts.contains { $0.contains("deploysh-activator") }, "\(files)")  // the node's commands
            // `db` and `db:1` share one ssh destination: their log is named after both, not after one.
            #expect(files.contains("db+db:1.log"), "\(files)")
            // An explicit --log-dir is kept, and named at the end.
            let chosen = try TestEnvironment.temporaryDirectory("chosen-logs").path
            let again = try await Self.deploysh(
                arguments + ["-s", "--log-dir", chosen, "--", "--impure"],
                environment: environment
            )
            #expect(again.status == 0, "\(again.errors)")
            #expect(again.errors.hasSuffix("full logs: \(chosen)\n"), "\(again.errors)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: chosen).contains("local.log"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: logs).count == 1)
        }
    }

    @Test(.tags(.large)) func testInteractiveShowsTheDiffAndAsksOnTheTerminal() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try OneShotDeployTests.writeFlake(fixture)
            let deploy = [
                "NIX_CONFIG=\(RemoteShell.quote(TestEnvironment.nixConfig))",
                "XDG_STATE_HOME=\(RemoteShell.quote(TestEnvironment.stateHome))",
                RemoteShell.quote(TestEnvironment.deployshBinary), "deploy", "-i", "-s",
                RemoteShell.quote("\(flake)#\"db:1\".system"), "--ssh-opts",
                RemoteShell.quote("-F \(testbed.sshConfig)"),
            ].joined(separator: " ")
            let command = "\(deploy); echo INTERRUPTED=$?; \(deploy); echo EXITED=$?; sleep 30"
            let tmux = try await TmuxSession.start(command)
            defer { Task { await tmux.kill() } }
            // Ctrl-C at the question ends the deploy at once (130), with nothing deployed.
            // Each wait must end on its condition: the waits' bounds add up to more than the
            // test's time limit, and a stall should fail here with the screen, not at the limit.
            var screen = try await tmux.waitForScreen(seconds: 60) { $0.contains("Deploy this profile? [y/N]") }
            try #require(screen.contains("Deploy this profile? [y/N]"), "\(screen)")
            try await tmux.send("C-c")
            screen = try await tmux.waitForScreen(seconds: 20) { $0.contains("INTERRUPTED=") }
            try #require(screen.contains("INTERRUPTED=130"), "\(screen)")
            #expect(fixture.activations(of: "db1").isEmpty)
            // The second run's question, read from the pane's history: the two runs' plans and
            // diffs can push the first question off a 30-row screen, and then a count of the
            // questions on screen never reaches two (the wait ran out its 60 s before answering).
            screen = try await tmux.waitForScreen(seconds: 60, scrollback: true) {
                $0.components(separatedBy: "INTERRUPTED=").last?.contains("Deploy this profile? [y/N]") == true
            }
            try #require(
                screen.components(separatedBy: "INTERRUPTED=").last?.contains("Deploy this profile? [y/N]") == true,
                "\(screen)"
            )
            #expect(screen.contains("db:1.system: (no current profile) ->"), "\(screen)")
            #expect(fixture.activations(of: "db1").isEmpty)
            try await tmux.send("y", "Enter")
            screen = try await tmux.waitForScreen(seconds: 60) { $0.contains("EXITED=") }
            #expect(screen.contains("EXITED=0"), "\(screen)")
            #expect(fixture.activations(of: "db1").count == 1)
        }
    }
}
