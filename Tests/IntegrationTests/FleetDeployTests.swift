import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: fleets on one shared 8-node testbed: parallel activations, rollback of a fleet to
/// where it was before the deploy, keep-going, profile order. Each test uses its own profile path.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(5)), .sharedTestbed(nodes: 8))
@MainActor
struct FleetDeployTests {
    /// A flake with one profile `p` at `profilePath` on nodes `n1...nCOUNT`; `profile(i)` is its Nix text.
    static func flake(
        _ fixture: DeployFixture,
        count: Int,
        profilePath: String,
        settings: String = "confirmTimeout = 10;",
        profile: (Int) -> String
    ) throws -> String {
        try fixture.write(
            nodes: (1...count).map { index in
                (
                    "n\(index)", index,
                    "{ p = { profilePath = \(FlakeFixtures.nixString(profilePath)); path = \(profile(index)); }; }"
                )
            },
            settings: settings
        )
    }

    /// The JSON step events printed on standard error, in the order they were printed.
    static func stepEvents(_ errors: String) -> [JSONValue] {
        errors.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }.filter {
            $0["event"]?.stringValue == "step"
        }
    }

    @Test func testActivationsOfDifferentNodesOverlap() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try Self.flake(fixture, count: 8, profilePath: "/nix/var/nix/profiles/overlap") { index in
            fixture.profile("slow\(index)", extra: "sleep 1")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake); deploy --jobs 8 'n*'") == .success, "\(shell.takeErrors())")
        let rows = try shell.takeSummaryRows()
        #expect(rows.count == 8)
        #expect(rows.values.allSatisfy { $0["state"]?.stringValue == "confirmed" }, "\(rows)")
        for index in 1...8 {
            #expect(fixture.activations(of: "slow\(index)").count == 1)
        }
        let events = Self.stepEvents(shell.takeErrors()).filter { $0["step"]?.stringValue == "activate" }
        #expect(events.count == 16)
        // Overlap: before the first activation finished, activations of two nodes had started.
        let firstOK = try #require(events.firstIndex { $0["status"]?.stringValue == "ok" })
        let startedBefore = Set(
            events[..<firstOK].filter { $0["status"]?.stringValue == "started" }.compactMap { $0["node"]?.stringValue }
        )
        #expect(startedBefore.count >= 2, "\(events)")
    }

    @Test func testAFailureReturnsActivatedNodesToTheirGenerationBeforeTheDeploy() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/fleet-rb"
        let old = try Self.flake(fixture, count: 6, profilePath: path) { fixture.profile("old\($0)") }
        let mid = try Self.flake(fixture, count: 6, profilePath: path) { fixture.profile("mid\($0)") }
        let new = try Self.flake(fixture, count: 6, profilePath: path) { index in
            fixture.profile("new\(index)", extra: index == 3 ? "exit 3" : "")
        }
        let shell = TestShell(json: true)
        // Generation 1 is what the nodes run; an earlier deploy left generation 2 behind on n1 and n2.
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        #expect(
            await shell.run("load \(mid); deploy n1 n2; rollback --to 1 n1.p n2.p") == .success,
            "\(shell.takeErrors())"
        )
        let before = (1...6).map { testbed.profileTarget(node: $0, profile: path) }
        _ = shell.takeOutput()
        _ = shell.takeErrors()

        #expect(await shell.run("load \(new); deploy --jobs 1 'n*'") == .failed)
        let rows = try shell.takeSummaryRows()
        #expect(rows.count == 6)
        for index in [1, 2] {
            #expect(rows["n\(index).p"]?["state"]?.stringValue == "rolled back", "\(rows)")
            #expect(rows["n\(index).p"]?["generationBefore"]?.intValue == 1)
            #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1])
            #expect(fixture.activations(of: "new\(index)").count == 1)
            #expect(fixture.activations(of: "old\(index)").count == 3)  // deploy, rollback --to 1, this rollback
        }
        #expect(rows["n3.p"]?["failure"]?.stringValue == "activationFailed")
        #expect(testbed.profileTarget(node: 3, profile: path) == before[2])
        for index in 4...6 {
            #expect(rows["n\(index).p"]?["state"]?.stringValue == "not started", "\(rows)")
            #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1])
            #expect(fixture.activations(of: "new\(index)").isEmpty)
        }

        #expect(await shell.run("deploy --jobs 1 --keep-going 'n*'") == .failed)
        let kept = try shell.takeSummaryRows()
        for index in [1, 2, 4, 5, 6] {
            #expect(kept["n\(index).p"]?["state"]?.stringValue == "confirmed", "\(kept)")
            #expect(testbed.profileTarget(node: index, profile: path)?.contains("-new\(index)-") == true)
        }
        #expect(kept["n3.p"]?["state"]?.stringValue != "confirmed")
        #expect(testbed.profileTarget(node: 3, profile: path) == before[2])
    }

    @Test func testAFailedRollbackDoesNotStopTheOthers() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/fleet-rbf"
        let flag = fixture.markers + "/refuse-old2"
        // n2's old generation refuses to activate again once the flag exists: its rollback fails.
        let old = try Self.flake(fixture, count: 3, profilePath: path) { index in
            fixture.profile("old\(index)", extra: index == 2 ? "if [ -e '\(flag)' ]; then exit 9; fi" : "")
        }
        let new = try Self.flake(fixture, count: 3, profilePath: path) { index in
            fixture.profile("new\(index)", extra: index == 3 ? "exit 3" : "")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before1 = testbed.profileTarget(node: 1, profile: path)
        _ = shell.takeOutput()
        try Data().write(to: URL(fileURLWithPath: flag))
        #expect(await shell.run("load \(new); deploy --jobs 1 'n*'") == .failed)
        let rows = try shell.takeSummaryRows()
        #expect(rows["n2.p"]?["state"]?.stringValue == "rollback failed", "\(rows)")
        // Rollback goes in reverse activation order: n2 first; its failure must not stop n1.
        #expect(rows["n1.p"]?["state"]?.stringValue == "rolled back", "\(rows)")
        #expect(testbed.profileTarget(node: 1, profile: path) == before1)
        #expect(fixture.activations(of: "old1").count == 2)
    }

    @Test func testProfilesOfANodeActivateInProfilesOrder() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let order = fixture.markers + "/order"
        func profile(_ name: String) -> String {
            "{ profilePath = \"/nix/var/nix/profiles/order-\(name)\"; path = \(fixture.profile(name, extra: "echo \(name) >> '\(order)'")); }"
        }
        let flake = try fixture.write(
            nodes: [
                // The profiles text ends the `profiles` attribute, so profilesOrder can follow it.
                (
                    "web", 1,
                    "{ zeta = \(profile("zeta")); alpha = \(profile("alpha")); mid = \(profile("mid")); }; "
                        + "profilesOrder = [ \"zeta\" \"mid\" ]"
                )
            ],
            settings: "confirmTimeout = 10;"
        )
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake); deploy web") == .success, "\(shell.takeErrors())")
        let text = try String(contentsOfFile: order, encoding: .utf8)
        #expect(text == "zeta\nmid\nalpha\n")
    }

    @Test func testANodeThatDropsItsSSHSessionIsReportedAndTheOthersRolledBack() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/fleet-drop"
        let once = fixture.markers + "/dropped"
        // Kills the sshd process serving this session (its nearest sshd ancestor), once.
        let drop = """
            if [ ! -e '\(once)' ]; then : > '\(once)'; p=$$; n=0
            while [ "$p" -gt 1 ] && [ $n -lt 50 ]; do
              case $(cat /proc/$p/comm) in sshd*) kill -9 "$p"; break ;; esac
              p=$(awk '{print $4}' /proc/$p/stat); n=$((n+1))
            done; sleep 2; fi
            """
        let old = try Self.flake(fixture, count: 4, profilePath: path) { fixture.profile("old\($0)") }
        let new = try Self.flake(fixture, count: 4, profilePath: path) { index in
            fixture.profile("new\(index)", extra: index == 3 ? drop : "")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = (1...4).map { testbed.profileTarget(node: $0, profile: path) }
        _ = shell.takeOutput()
        #expect(await shell.run("load \(new); deploy --jobs 1 'n*'") == .failed)
        #expect(FileManager.default.fileExists(atPath: once))
        let rows = try shell.takeSummaryRows()
        #expect(Set(rows.keys) == ["n1.p", "n2.p", "n3.p", "n4.p"])
        for index in [1, 2] {
            #expect(rows["n\(index).p"]?["state"]?.stringValue == "rolled back", "\(rows)")
            #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1])
        }
        let dropped = rows["n3.p"]?["state"]?.stringValue
        if testbed.profileTarget(node: 3, profile: path) == before[2] {
            #expect(dropped == "rolled back", "\(rows)")
        } else {
            #expect(dropped == "unknown", "\(rows)")
        }
        #expect(rows["n4.p"]?["state"]?.stringValue == "not started")
        #expect(testbed.profileTarget(node: 4, profile: path) == before[3])
    }

    @Test func testCtrlCMidFleetPrintsTheSummaryAndRollsBack() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/fleet-int"
        let old = try Self.flake(fixture, count: 4, profilePath: path) { fixture.profile("old\($0)") }
        let new = try Self.flake(fixture, count: 4, profilePath: path) { fixture.profile("new\($0)", extra: "sleep 3") }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = (1...4).map { testbed.profileTarget(node: $0, profile: path) }
        let deployer = try await DeployerProcess.start(arguments: [
            "--json", "-c", "load \(new); deploy --jobs 2 'n*'",
        ])
        let started = try await poll(tries: 300) {
            (1...4).contains { !fixture.activations(of: "new\($0)").isEmpty }
        }
        #expect(started)
        deployer.interrupt()
        #expect(await deployer.waitForExit(seconds: 90) == 130)
        let lines = deployer.standardOutput.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        let summary = try #require(lines.last { $0["event"]?.stringValue == "summary" }, "\(deployer.standardOutput)")
        #expect(summary["cancelled"]?.boolValue == true)
        let rows = summary["targets"]?.arrayValue ?? []
        #expect(rows.count == 4)
        for (index, row) in zip(1...4, rows) {
            let state = row["state"]?.stringValue
            #expect(state == "rolled back" || state == "not started", "\(rows)")
            #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1], "\(rows)")
        }
    }

    /// SIGTERM (a cancelled CI runner) and SIGHUP (a closed terminal) end a deploy the way Ctrl-C
    /// does: activated targets rolled back, the summary printed, the runtime directory removed,
    /// and the exit status says which signal.
    @Test(arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func testATerminationSignalMidFleetRollsBackPrintsTheSummaryAndCleansUp(signal: Int32, status: Int32) async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/fleet-term-\(signal)"
        let old = try Self.flake(fixture, count: 4, profilePath: path) { fixture.profile("told\($0)") }
        let new = try Self.flake(fixture, count: 4, profilePath: path) {
            fixture.profile("tnew\($0)", extra: "sleep 3")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = (1...4).map { testbed.profileTarget(node: $0, profile: path) }
        let deployer = try await DeployerProcess.start(
            arguments: ["--json", "-c", "load \(new); deploy --jobs 2 'n*'; echo never-reached"],
            privateRuntime: true
        )
        let started = try await poll(tries: 300) {
            (1...4).contains { !fixture.activations(of: "tnew\($0)").isEmpty }
        }
        #expect(started)
        deployer.signal(signal)
        #expect(await deployer.waitForExit(seconds: 90) == status)
        #expect(!deployer.standardOutput.contains("never-reached"))
        let lines = deployer.standardOutput.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        let summary = try #require(lines.last { $0["event"]?.stringValue == "summary" }, "\(deployer.standardOutput)")
        #expect(summary["cancelled"]?.boolValue == true)
        let rows = summary["targets"]?.arrayValue ?? []
        #expect(rows.count == 4)
        for (index, row) in zip(1...4, rows) {
            let state = row["state"]?.stringValue
            #expect(state == "rolled back" || state == "not started", "\(rows)")
            #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1], "\(rows)")
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: deployer.runtimeBase)) ?? []
        #expect(left.filter { $0.hasPrefix("deploysh") }.isEmpty, "runtime files left: \(left)")
    }

    /// Ctrl-C while an activation runs asks its watchdog to roll back as soon as the activation
    /// ends: the deployer leaves long before the magic-rollback window (120 s) could close.
    @Test func testCtrlCDuringAnActivationRollsBackWhenItEndsNotWhenTheWindowCloses() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/fleet-ctrlc"
        let old = try Self.flake(fixture, count: 1, profilePath: path) { fixture.profile("cold\($0)") }
        let new = try Self.flake(fixture, count: 1, profilePath: path, settings: "confirmTimeout = 120;") {
            fixture.profile("cnew\($0)", extra: "sleep 4")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy n1") == .success, "\(shell.takeErrors())")
        let before = testbed.profileTarget(node: 1, profile: path)
        let deployer = try await DeployerProcess.start(arguments: ["--json", "-c", "load \(new); deploy n1"])
        let started = try await poll(tries: 300) {
            !fixture.activations(of: "cnew1").isEmpty
        }
        #expect(started)
        deployer.interrupt()
        // Waiting for the window would take 120 s and more: the exit must come before it closes.
        #expect(await deployer.waitForExit(seconds: 60) == 130)
        let lines = deployer.standardOutput.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        let summary = try #require(lines.last { $0["event"]?.stringValue == "summary" }, "\(deployer.standardOutput)")
        #expect(summary["targets"]?.arrayValue?.first?["state"]?.stringValue == "rolled back", "\(summary)")
        #expect(testbed.profileTarget(node: 1, profile: path) == before)
    }

    /// A second Ctrl-C leaves at once and says what the nodes are left doing: the activation
    /// still running there, and that its watchdog rolls it back by itself.
    @Test func testASecondCtrlCLeavesAtOnceSayingWhatTheWatchdogsWillDo() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/fleet-twice"
        let old = try Self.flake(fixture, count: 1, profilePath: path) { fixture.profile("wold\($0)") }
        let new = try Self.flake(fixture, count: 1, profilePath: path, settings: "confirmTimeout = 7;") {
            fixture.profile("wnew\($0)", extra: "sleep 6")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy n1") == .success, "\(shell.takeErrors())")
        let before = testbed.profileTarget(node: 1, profile: path)
        let deployer = try await DeployerProcess.start(arguments: ["-c", "load \(new); deploy n1"])
        let started = try await poll(tries: 300) {
            !fixture.activations(of: "wnew1").isEmpty
        }
        #expect(started)
        deployer.interrupt()
        try await Task.sleep(for: .milliseconds(300))
        deployer.interrupt()
        // Leaving at once: long before the activation (6 s) and its window (7 s) are over.
        #expect(await deployer.waitForExit(seconds: 5) == 130)
        let errors = deployer.standardError
        #expect(errors.contains("leaving now; on the nodes:"), "\(errors)")
        // Before or after the first Ctrl-C's rollback request reached the node: both are true.
        #expect(
            errors.contains("n1.p: its activation runs on; with magic rollback its watchdog")
                || errors.contains("n1.p: its rollback was asked for; the node finishes it by itself"),
            "\(errors)"
        )
        // What it said holds: the node goes back by itself.
        let back = try await poll(tries: 400) {
            testbed.profileTarget(node: 1, profile: path) == before
        }
        #expect(back, "the watchdog did not roll n1 back")
    }

    /// Ctrl-C during `exec` ends the command on the nodes too, not only the local ssh.
    @Test func testCtrlCDuringExecEndsTheRemoteCommand() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try Self.flake(fixture, count: 2, profilePath: "/nix/var/nix/profiles/exec-cancel") {
            fixture.profile("execc\($0)")
        }
        let token = "deploysh-exec-token-\(fixture.nonce)"
        let started = testbed.hostPath(node: 1, "/nix/\(token)")
        let deployer = try await DeployerProcess.start(arguments: [
            "-c", "load \(flake); exec 'n*' -- sh -c 'touch /nix/\(token); sleep 300; true' \(token)",
        ])
        let running = try await poll(tries: 300) {
            FileManager.default.fileExists(atPath: started) && Self.processes(containing: token) >= 2
        }
        #expect(running, "the remote commands never started")
        deployer.interrupt()
        #expect(await deployer.waitForExit(seconds: 60) == 130)
        var left = Self.processes(containing: token)
        for _ in 0..<100 where left > 0 {
            try await Task.sleep(for: .milliseconds(100))
            left = Self.processes(containing: token)
        }
        #expect(left == 0, "the remote commands still run after Ctrl-C")
    }

    /// How many processes on this machine (the nodes share its process table) have `text` in
    /// their command line.
    static func processes(containing text: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.filter { name in
            guard Int(name) != nil,
                let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
            else { return false }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains(text)
        }.count
    }

    @Test func testExecRunsOnEveryNodeAndFailsWhenOneFails() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try Self.flake(fixture, count: 4, profilePath: "/nix/var/nix/profiles/exec") {
            fixture.profile("exec\($0)")
        }
        let flag = testbed.hostPath(node: 3, "/nix/exec-fails-here")
        try Data().write(to: URL(fileURLWithPath: flag))
        defer { try? FileManager.default.removeItem(atPath: flag) }
        let shell = TestShell(json: true)
        let command = "exec 'n*' -- sh -c 'test ! -e /nix/exec-fails-here && echo \"it'\\''s fine\"'"
        #expect(await shell.run("load \(flake); \(command)") == .failed)
        let report = try #require(try shell.takeJSONLines().last)
        #expect(report["ok"]?.boolValue == false)
        let nodes = report["exec"]?.arrayValue ?? []
        #expect(nodes.map { $0["node"]?.stringValue } == ["n1", "n2", "n3", "n4"])
        #expect(nodes.map { $0["exitCode"]?.intValue } == [0, 0, 1, 0])
        #expect(nodes[0]["output"]?.stringValue == "it's fine\n")
        #expect(nodes[2]["output"]?.stringValue == "")
    }

    @Test func testLogDirHoldsEveryCommandPerNodeAndShowLogTheActivationOutput() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try Self.flake(fixture, count: 2, profilePath: "/nix/var/nix/profiles/logs") { index in
            fixture.profile("log\(index)", extra: "echo hello-from-n\(index) >&2")
        }
        let logs = try TestEnvironment.temporaryDirectory("logs").path
        let shell = TestShell()
        #expect(
            await shell.run("load \(flake); deploy --log-dir \(logs) 'n*'; show-log n2.p") == .success,
            "\(shell.takeErrors())"
        )
        let shown = shell.takeOutput()
        let log = try #require(shown.range(of: "\nn2.p\n").map { shown[$0.upperBound...] }, "\(shown)")
        #expect(log.contains("  hello-from-n2\n"))
        #expect(!log.contains("hello-from-n1"))
        let node1 = try String(contentsOfFile: logs + "/n1.log", encoding: .utf8)
        #expect(node1.contains("$ NIX_SSHOPTS="))
        #expect(node1.contains("nix-command flakes' copy"))
        // The first call sends the whole activator and installs it; later ones run the node's copy.
        #expect(node1.contains("<deploysh activator> deploysh-activator --install /tmp "))
        #expect(node1.contains("<deploysh activator boot> deploysh-activator /tmp \(ActivatorScript.digest) activate"))
        #expect(node1.contains("hello-from-n1"))
        #expect(!node1.contains("hello-from-n2"))
        let local = try String(contentsOfFile: logs + "/local.log", encoding: .utf8)
        #expect(local.contains(" build --no-link "))
    }
}
