import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: health-gated deploys and staged rollouts on one shared 6-node testbed, with real
/// checks: an HTTP server (`python3 -m http.server`) bound to a node's address serves a directory
/// that the profile's activation writes, `cmd` checks run on the node over ssh. Each test uses
/// its own profile path; assertions read the nodes' profiles, never the clock.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(5)), .sharedTestbed(nodes: 6))
@MainActor
struct HealthGateTests {
    /// A flake with one profile `p` at `profilePath` on nodes `n1...nCOUNT`, node settings from `node(i)`.
    static func flake(
        _ fixture: DeployFixture,
        count: Int,
        profilePath: String,
        settings: String = "confirmTimeout = 30;",
        nodes: [Int: String] = [:],
        profile: (Int) -> String
    ) throws -> String {
        try fixture.write(
            nodes: (1...count).map { index in
                (
                    "n\(index)", index,
                    "{ p = { profilePath = \(FlakeFixtures.nixString(profilePath)); path = \(profile(index)); }; }"
                        + Self.extra(nodes[index] ?? "")
                )
            },
            settings: settings
        )
    }

    /// Node attributes after `profiles = ...` (the fixture closes the statement).
    static func extra(_ attributes: String) -> String {
        var text = attributes.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(";") { text.removeLast() }
        return text.isEmpty ? "" : "; " + text
    }

    static func events(_ errors: String, kind: String) -> [JSONValue] {
        errors.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }.filter {
            $0["event"]?.stringValue == kind
        }
    }

    @Test func testAFailingHTTPCheckRollsBackAtOnceAndAPassingOneConfirms() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-http"
        let served = fixture.markers + "/www"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        let check = """
            healthChecks = [ { name = "web"; http = "http://{hostname}:18080/health"; expectStatus = 200;
              expectBody = "healthy"; timeout = 2; } ];
            healthTimeout = 3;
            """
        let old = try Self.flake(fixture, count: 1, profilePath: path) { _ in fixture.profile("old") }
        let broken = try Self.flake(fixture, count: 1, profilePath: path, nodes: [1: check]) { _ in
            fixture.profile("broken", extra: "echo sick > '\(served)/health'")
        }
        let good = try Self.flake(fixture, count: 1, profilePath: path, nodes: [1: check]) { _ in
            fixture.profile("good", extra: "echo healthy > '\(served)/health'")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy n1") == .success, "\(shell.takeErrors())")
        let before = testbed.profileTarget(node: 1, profile: path)
        _ = try shell.takeSummaryRows()
        _ = shell.takeErrors()

        try await withHTTPServer(address: testbed.address(1), port: 18080, directory: served) {
            #expect(await shell.run("load \(broken); deploy n1") == .failed)
            let rows = try shell.takeSummaryRows()
            #expect(rows["n1.p"]?["state"]?.stringValue == "rolled back", "\(rows)")
            #expect(rows["n1.p"]?["failure"]?.stringValue == "unhealthy")
            #expect(rows["n1.p"]?["error"]?.stringValue?.contains("health check 'web'") == true, "\(rows)")
            #expect(rows["n1.p"]?["error"]?.stringValue?.contains("body lacks 'healthy'") == true, "\(rows)")
            #expect(testbed.profileTarget(node: 1, profile: path) == before)
            // The rollback re-ran the previous activation: old ran twice, broken once.
            #expect(fixture.activations(of: "old").count == 2)
            let health = Self.events(shell.takeErrors(), kind: "health")
            #expect(!health.isEmpty && health.allSatisfy { $0["ok"]?.boolValue == false }, "\(health)")

            #expect(await shell.run("load \(good); deploy n1") == .success, "\(shell.takeErrors())")
            let confirmed = try shell.takeSummaryRows()
            #expect(confirmed["n1.p"]?["state"]?.stringValue == "confirmed", "\(confirmed)")
            #expect(testbed.profileTarget(node: 1, profile: path)?.contains("-good-") == true)
        }
    }

    @Test func testACmdCheckPassingOnTheThirdAttemptIsConfirmedAndOneNeverPassingRollsBack() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-cmd"
        let counter = fixture.markers + "/attempts"
        let third = """
            healthChecks = [ { cmd = [ "sh" "-c" "n=$(cat \(counter) 2>/dev/null || echo 0); n=$((n+1)); echo $n > \(counter); test $n -ge 3" ]; period = 0.2; } ];
            """
        let never = "healthChecks = [ { name = \"never\"; cmd = [ \"false\" ]; period = 0.2; } ]; healthTimeout = 1;"
        let old = try Self.flake(fixture, count: 2, profilePath: path) { fixture.profile("old\($0)") }
        let new = try Self.flake(
            fixture,
            count: 2,
            profilePath: path,
            nodes: [1: third, 2: never]
        ) { fixture.profile("new\($0)") }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = testbed.profileTarget(node: 2, profile: path)
        _ = try shell.takeSummaryRows()
        #expect(await shell.run("load \(new); deploy --keep-going 'n*'") == .failed)
        let rows = try shell.takeSummaryRows()
        #expect(rows["n1.p"]?["state"]?.stringValue == "confirmed", "\(rows)")
        #expect(rows["n1.p"]?["health"]?.arrayValue?.first?["attempts"]?.intValue == 3, "\(rows)")
        #expect(rows["n2.p"]?["state"]?.stringValue == "rolled back", "\(rows)")
        #expect(rows["n2.p"]?["error"]?.stringValue?.contains("'never' did not pass within healthTimeout") == true)
        #expect(testbed.profileTarget(node: 2, profile: path) == before)
        #expect(testbed.profileTarget(node: 1, profile: path)?.contains("-new1-") == true)
    }

    @Test func testAnUnhealthyCanaryKeepsEveryOtherNodeUntouched() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-canary"
        let old = try Self.flake(fixture, count: 6, profilePath: path) { fixture.profile("old\($0)") }
        let new = try Self.flake(
            fixture,
            count: 6,
            profilePath: path,
            nodes: [1: "healthChecks = [ { cmd = [ \"false\" ]; } ]; healthTimeout = 0;"]
        ) { fixture.profile("new\($0)") }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = (1...6).map { testbed.profileTarget(node: $0, profile: path) }
        _ = try shell.takeSummaryRows()
        _ = shell.takeErrors()
        #expect(await shell.run("load \(new); deploy --batches 1,100% 'n*'") == .failed)
        let rows = try shell.takeSummaryRows()
        #expect(rows["n1.p"]?["state"]?.stringValue == "rolled back", "\(rows)")
        for index in 1...6 {
            #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1])
            #expect(rows["n\(index).p"]?["batch"]?.intValue == (index == 1 ? 0 : 1))
        }
        for index in 2...6 {
            #expect(rows["n\(index).p"]?["state"]?.stringValue == "not started", "\(rows)")
            #expect(fixture.activations(of: "new\(index)").isEmpty)
        }
        let batches = Self.events(shell.takeErrors(), kind: "batch").map {
            "\($0["index"]?.intValue ?? -1) \($0["status"]?.stringValue ?? "")"
        }
        #expect(batches == ["0 started", "0 failed"])
    }

    @Test func testAPauseAfterTheCanaryThenAbortOrResume() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-pause"
        let old = try Self.flake(fixture, count: 3, profilePath: path) { fixture.profile("old\($0)") }
        let new = try Self.flake(fixture, count: 3, profilePath: path) { fixture.profile("new\($0)") }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = (1...3).map { testbed.profileTarget(node: $0, profile: path) }
        _ = try shell.takeSummaryRows()
        _ = shell.takeErrors()

        // Paused after the canary, then abort: the canary goes back, the others stay untouched.
        let deploy = "deploy --batches 1,100% --pause-after 0 'n*'"
        #expect(await shell.run("load \(new); \(deploy)") == .success, "\(shell.takeErrors())")
        #expect(shell.session.pausedRollout?.rollout.batch == 0)
        #expect(shell.session.prompt.contains("(paused after batch 0: resume | abort)"))
        #expect(testbed.profileTarget(node: 1, profile: path) != before[0])
        #expect(testbed.profileTarget(node: 2, profile: path) == before[1])
        // The paused summary is truthful: not a failure, paused, the rest waiting in batch 1.
        let pausedLines = try shell.takeJSONLines()
        let pausedSummary = try #require(pausedLines.last { $0["event"]?.stringValue == "summary" })
        #expect(pausedSummary["paused"]?.boolValue == true)
        #expect(pausedSummary["pausedAfterBatch"]?.intValue == 0)
        #expect(pausedSummary["ok"]?.boolValue == true)
        let waiting = (pausedSummary["targets"]?.arrayValue ?? []).map {
            "\($0["target"]?.stringValue ?? "") \($0["state"]?.stringValue ?? "") \($0["batch"]?.intValue ?? -1)"
        }
        #expect(waiting == ["n1.p confirmed 0", "n2.p waiting 1", "n3.p waiting 1"])
        let stays =
            "a rollout is paused after batch 0 (2 batches): batch 0 is done (n1); not deployed: n2, n3. "
            + "The deployed nodes stay on their new generation (confirmed); the others are untouched"
        #expect(
            shell.session.pausedWarning(.endOfScript)
                == stays + "; a paused rollout ends with deploysh: end the script with `resume` or `abort`, "
                + "or deploy the nodes not deployed later."
        )
        #expect(
            shell.session.pausedWarning(.quit)
                == stays + ". `resume` or `abort` first, or `quit` again to leave it paused."
        )
        #expect(await shell.run("status") == .success)
        _ = shell.takeOutput()
        #expect(await shell.run("abort") == .failed)
        var rows = try shell.takeSummaryRows()
        #expect(rows["n1.p"]?["state"]?.stringValue == "rolled back", "\(rows)")
        #expect(rows["n2.p"]?["state"]?.stringValue == "not started", "\(rows)")
        #expect(shell.session.pausedRollout == nil)
        for index in 1...3 { #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1]) }
        _ = shell.takeErrors()

        // Paused again, then resume: the other batch runs with the same plan.
        #expect(await shell.run(deploy) == .success, "\(shell.takeErrors())")
        _ = try shell.takeSummaryRows()
        #expect(await shell.run("resume") == .success, "\(shell.takeErrors())")
        rows = try shell.takeSummaryRows()
        for index in 1...3 {
            #expect(rows["n\(index).p"]?["state"]?.stringValue == "confirmed", "\(rows)")
            #expect(testbed.profileTarget(node: index, profile: path) != before[index - 1])
        }
        #expect(shell.session.pausedRollout == nil)
        let batches = Self.events(shell.takeErrors(), kind: "batch").map {
            "\($0["index"]?.intValue ?? -1) \($0["status"]?.stringValue ?? "")"
        }
        #expect(batches == ["0 started", "0 done", "0 paused", "1 started", "1 done"])
    }

    /// The REPL under tmux: the prompt shows the pause, `status` runs meanwhile, `abort` puts
    /// the canary back, and after a second pause `resume` deploys the rest.
    @Test func testThePausedRolloutInTheREPLThenAbortAndResume() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-pause-repl"
        let flake = try Self.flake(fixture, count: 2, profilePath: path) { fixture.profile("repl\($0)") }
        let state = try TestEnvironment.temporaryDirectory("state")
        let tmux = try await TmuxSession.startREPL(flake: flake, state: state.path)
        defer { Task { await tmux.kill() } }
        _ = try await tmux.waitForScreen { $0.contains("deploysh \(flake)>") }
        try await tmux.send("deploy --batches 1,100% --pause-after 0 'n*'", "Enter")
        let paused = try await tmux.waitForScreen(seconds: 120) {
            $0.contains("(paused after batch 0: resume | abort)>")
        }
        // The live view said which batch ran, and that it paused.
        #expect(paused.contains("batch 0 (1/2) started: n1"), "\(paused)")
        #expect(paused.contains("batch 0 (1/2) paused"), "\(paused)")
        #expect(testbed.profileTarget(node: 1, profile: path) != nil)
        #expect(testbed.profileTarget(node: 2, profile: path) == nil)
        // Leaving asks first, naming the paused rollout; the shell stays.
        try await tmux.send("quit", "Enter")
        let asked = try await tmux.waitForScreen { $0.contains("or `quit` again to leave it paused.") }
        #expect(asked.contains("not deployed: n2."), "\(asked)")
        try await tmux.send("abort", "Enter")
        let aborted = try await tmux.waitForScreen(seconds: 60) { $0.contains("rollout aborted after batch 0") }
        #expect(aborted.contains("rollout aborted after batch 0"), "\(aborted)")
        #expect(testbed.profileTarget(node: 2, profile: path) == nil)
        try await tmux.send("deploy --batches 1,100% --pause-after 0 'n*'", "Enter")
        _ = try await tmux.waitForScreen(seconds: 120) { screen in
            let last = screen.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) } ?? ""
            let prompt = last.trimmingCharacters(in: .whitespaces)
            return screen.contains("rollout aborted") && prompt.hasSuffix("(paused after batch 0: resume | abort)>")
        }
        try await tmux.send("resume", "Enter")
        let resumed = try await tmux.waitForScreen(seconds: 120) { screen in
            let last = screen.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) } ?? ""
            return screen.contains("> resume") && last.hasPrefix("deploysh") && !last.contains("paused")
        }
        #expect(resumed.contains("> resume"), "\(resumed)")
        #expect(testbed.profileTarget(node: 2, profile: path) != nil)
    }

    @Test func testAScriptEndingWithAPausedRolloutWarnsNamingTheNodesNotDeployed() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-pause-script"
        let flake = try Self.flake(fixture, count: 3, profilePath: path) { fixture.profile("script\($0)") }
        let run = try await OneShotBinaryTests.deploysh(
            ["-c", "load \(flake); deploy --batches 1,100% --pause-after 0 'n*'"],
            seconds: 180
        )
        #expect(run.status == 0, "\(run.errors)")
        #expect(
            run.output.contains("deploy paused after batch 0: 1 of 3 nodes deployed; resume or abort"),
            "\(run.output)"
        )
        #expect(
            run.errors.contains(
                "warning: a rollout is paused after batch 0 (2 batches): batch 0 is done (n1); not deployed: n2, n3."
            ),
            "\(run.errors)"
        )
        #expect(run.errors.contains("end the script with `resume` or `abort`"), "\(run.errors)")
        #expect(testbed.profileTarget(node: 1, profile: path) != nil)
        #expect(testbed.profileTarget(node: 2, profile: path) == nil)
    }

    @Test func testABudgetOfOneDeploysTheRestAndAFailingPreDeployCheckSkipsANode() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-budget"
        let old = try Self.flake(fixture, count: 6, profilePath: path) { fixture.profile("old\($0)") }
        let new = try Self.flake(
            fixture,
            count: 6,
            profilePath: path,
            nodes: [
                1: "tags = [ \"web\" ];", 2: "tags = [ \"web\" ];", 3: "tags = [ \"web\" ];", 5: "tags = [ \"web\" ];",
                4: "healthChecks = [ { cmd = [ \"false\" ]; } ]; healthTimeout = 0;",
                6: "preDeployChecks = [ { name = \"disk\"; cmd = [ \"sh\" \"-c\" \"echo full; exit 1\" ]; } ];",
            ]
        ) { fixture.profile("new\($0)") }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = (1...6).map { testbed.profileTarget(node: $0, profile: path) }
        _ = try shell.takeSummaryRows()
        #expect(await shell.run("load \(new); deploy --batches 2,100% --max-failures 1 'n*'") == .failed)
        let rows = try shell.takeSummaryRows()
        for index in [1, 2, 3, 5] {
            #expect(rows["n\(index).p"]?["state"]?.stringValue == "confirmed", "\(rows)")
        }
        #expect(rows["n4.p"]?["state"]?.stringValue == "rolled back", "\(rows)")
        #expect(testbed.profileTarget(node: 4, profile: path) == before[3])
        #expect(rows["n6.p"]?["state"]?.stringValue == "skipped", "\(rows)")
        #expect(rows["n6.p"]?["error"]?.stringValue?.contains("'disk'") == true)
        #expect(testbed.profileTarget(node: 6, profile: path) == before[5])
        #expect(fixture.activations(of: "new6").isEmpty)

        // `@web` selects the tagged nodes only.
        #expect(await shell.run("deploy @web") == .success, "\(shell.takeErrors())")
        let tagged = try shell.takeSummaryRows()
        #expect(Set(tagged.keys) == ["n1.p", "n2.p", "n3.p", "n5.p"])
    }

    @Test func testMaxFailuresZeroRollsBackWhatThisDeployActivated() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        for rule in ["rollback-all", "rollback-batch"] {
            let path = "/nix/var/nix/profiles/health-\(rule)"
            let old = try Self.flake(fixture, count: 6, profilePath: path) { fixture.profile("old-\(rule)\($0)") }
            let new = try Self.flake(
                fixture,
                count: 6,
                profilePath: path,
                nodes: [4: "healthChecks = [ { cmd = [ \"false\" ]; } ]; healthTimeout = 0;"]
            ) { fixture.profile("new-\(rule)\($0)") }
            let shell = TestShell(json: true)
            #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
            let before = (1...6).map { testbed.profileTarget(node: $0, profile: path) }
            _ = try shell.takeSummaryRows()
            let command = "deploy --jobs 1 --batches 2,100% --max-failures 0 --on-failure \(rule) 'n*'"
            #expect(await shell.run("load \(new); \(command)") == .failed)
            let rows = try shell.takeSummaryRows()
            let back = rule == "rollback-all" ? [1, 2, 3, 4] : [3, 4]
            for index in back {
                #expect(rows["n\(index).p"]?["state"]?.stringValue == "rolled back", "\(rule) \(rows)")
                #expect(testbed.profileTarget(node: index, profile: path) == before[index - 1])
            }
            if rule == "rollback-batch" {
                for index in [1, 2] {
                    #expect(rows["n\(index).p"]?["state"]?.stringValue == "confirmed", "\(rows)")
                }
            }
            for index in [5, 6] {
                #expect(rows["n\(index).p"]?["state"]?.stringValue == "not started", "\(rule) \(rows)")
                #expect(fixture.activations(of: "new-\(rule)\(index)").isEmpty)
            }
        }
    }

    @Test func testADeployerKilledWhileChecksRunLeavesTheNodeToRollBackByItself() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-kill"
        let started = fixture.markers + "/check-started"
        // A check that never passes, slowly: the deployer is killed while it retries.
        let check = """
            healthChecks = [ { cmd = [ "sh" "-c" "touch \(started); sleep 0.5; exit 1" ]; timeout = 1; } ];
            healthTimeout = 120;
            """
        let old = try Self.flake(fixture, count: 1, profilePath: path) { _ in fixture.profile("old") }
        let new = try Self.flake(
            fixture,
            count: 1,
            profilePath: path,
            settings: "confirmTimeout = 10;",
            nodes: [1: check]
        ) {
            _ in fixture.profile("new")
        }
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy n1") == .success, "\(shell.takeErrors())")
        let before = testbed.profileTarget(node: 1, profile: path)
        let deployer = try await DeployerProcess.start(
            arguments: ["-c", "load \(new); deploy n1"],
            privateRuntime: true
        )
        let sawCheck = try await poll(tries: 1200, every: .milliseconds(25)) {
            FileManager.default.fileExists(atPath: started)
        }
        deployer.kill()
        #expect(sawCheck, "\(deployer.standardOutput)")
        #expect(testbed.profileTarget(node: 1, profile: path)?.contains("-new-") == true)
        // Nobody confirms and nobody extends: the watchdog rolls back (bounded wait, no timing asserted).
        let restored = try await poll(tries: 240, every: .milliseconds(250)) {
            testbed.profileTarget(node: 1, profile: path) == before
        }
        #expect(restored)
    }

    @Test func testTheOneShotDeploysATagInBatchesBehindAPassingCheck() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/health-oneshot"
        let tagged = "tags = [ \"web\" ]; healthChecks = [ { cmd = [ \"true\" ]; } { tcp = \"{hostname}:22\"; } ];"
        let flake = try Self.flake(fixture, count: 3, profilePath: path, nodes: [1: tagged, 2: tagged]) {
            fixture.profile("one\($0)")
        }
        let shell = TestShell(json: true)
        let request = try DeployArguments.request(parsing: ["\(flake)#@web", "-s", "--batches", "1,100%"])
        let report = try await request.run(in: shell.session, ask: nil)
        let json = try JSONValue.parse(JSONRenderer.line(report))
        #expect(json["ok"]?.boolValue == true, "\(shell.takeErrors())")
        let rows = json["targets"]?.arrayValue ?? []
        #expect(rows.compactMap { $0["target"]?.stringValue } == ["n1.p", "n2.p"])
        #expect(rows.compactMap { $0["batch"]?.intValue } == [0, 1])
        #expect(rows.allSatisfy { $0["state"]?.stringValue == "confirmed" }, "\(rows)")
        #expect(rows.allSatisfy { ($0["health"]?.arrayValue ?? []).count == 2 }, "\(rows)")
        #expect(fixture.activations(of: "one3").isEmpty)
        await #expect(throws: (any Error).self) {
            _ = try await DeployArguments.request(parsing: ["\(flake)#@wbe", "-s"]).run(in: shell.session, ask: nil)
        }
    }
}
