import ArgumentParser
import DeployKit
import Testing

@testable import DeployShell

/// Small: deploy-rs's command line, flag by flag, into a typed ``DeployRequest``.
@Suite struct DeployArgumentsTests {
    static func request(_ arguments: [String]) throws -> DeployRequest {
        try DeployArguments.parse(arguments).request()
    }

    /// One row per deploy-rs flag: the argv and what it must set in the request.
    static let flagCases: [(arguments: [String], check: @Sendable (DeployRequest) -> Bool)] = [
        (["--ssh-user", "deploy"], { $0.overrides.settings.sshUser == "deploy" }),
        (["--profile-user", "alice"], { $0.overrides.settings.user == "alice" }),
        (["--ssh-opts", "-p 2222"], { $0.overrides.settings.sshOpts == ["-p", "2222"] }),
        (
            ["--ssh-opts=-o 'ServerAliveInterval 5'"],
            { $0.overrides.settings.sshOpts == ["-o", "ServerAliveInterval 5"] }
        ),
        (["--fast-connection", "true"], { $0.overrides.settings.fastConnection == true }),
        (["--auto-rollback", "false"], { $0.overrides.settings.autoRollback == false }),
        (["--magic-rollback", "false"], { $0.overrides.settings.magicRollback == false }),
        (["--temp-path", "/var/tmp"], { $0.overrides.settings.tempPath == "/var/tmp" }),
        (["--confirm-timeout", "60"], { $0.overrides.settings.confirmTimeout == 60 }),
        (["--activation-timeout", "300"], { $0.overrides.settings.activationTimeout == 300 }),
        (["--dry-activate"], { $0.dryActivate && $0.deployOptions.mode == .dryActivate }),
        (["--boot"], { $0.boot && $0.deployOptions.mode == .boot }),
        (["--remote-build"], { $0.overrides.settings.remoteBuild == true }),
        (["--rollback-succeeded", "false"], { !$0.rollbackSucceeded && !$0.deployOptions.rollbackSucceeded }),
        (["--interactive-sudo", "true"], { $0.overrides.settings.interactiveSudo == true }),
        (["--sudo", "doas -u"], { $0.overrides.settings.sudo == "doas -u" }),
        (["--hostname", "10.0.0.5"], { $0.overrides.hostname == "10.0.0.5" }),
        (["-c"], { $0.checksSignatures }),
        (["--checksigs"], { $0.checksSignatures }),
        (["-i"], { $0.interactive }),
        (["--interactive"], { $0.interactive }),
        (["-s"], { $0.skipChecks }),
        (["--skip-checks"], { $0.skipChecks }),
        (["-d"], { $0.debugLogs }),
        (["--debug-logs"], { $0.debugLogs }),
        (
            ["--log-dir", "/tmp/logs"],
            { $0.logDirectory == "/tmp/logs" }
        ),
        (["-k"], { $0.keepResult && $0.resultDirectory == "./.deploy-gc" }),
        (["-k", "-r", "/srv/gc"], { $0.resultDirectory == "/srv/gc" }),
        (["--keep-result", "--result-path", "gc"], { $0.resultDirectory == "gc" }),
        (["-r", "/srv/gc"], { $0.resultPath == "/srv/gc" && $0.resultDirectory == nil }),
        (["--jobs", "4"], { $0.jobs == 4 && $0.deployOptions.jobs == 4 }),
        (["--keep-going"], { $0.keepGoing && $0.deployOptions.keepGoing }),
        (["--", "--impure"], { $0.extraBuildArguments == ["--impure"] }),
        (
            ["--targets", ".#a", ".#b", "--", "--impure"],
            { $0.extraBuildArguments == ["--impure"] && $0.targets.count == 2 }
        ),
        (
            [".#web", "--", "--override-input", "x", "path:/x"],
            {
                $0.extraBuildArguments == ["--override-input", "x", "path:/x"] && $0.targets.count == 1
            }
        ),
    ]

    @Test(arguments: 0..<flagCases.count)
    func testEachDeployRsFlagReachesTheRequest(index: Int) throws {
        let (arguments, check) = Self.flagCases[index]
        let request = try Self.request(arguments)
        #expect(check(request), "\(arguments)")
    }

    @Test func testDefaultsAreDeployRsDefaults() throws {
        let request = try Self.request([])
        #expect(request.targets == [TargetPattern(flake: ".", node: "*")])
        #expect(request.overrides.isEmpty)
        #expect(request.rollbackSucceeded)
        #expect(!request.skipChecks && !request.interactive && !request.debugLogs && !request.keepResult)
        #expect(!request.checksSignatures && request.extraBuildArguments.isEmpty)
        #expect(request.deployOptions == DeployOptions())
    }

    @Test func testVersionFlag() throws {
        #expect(try DeployArguments.parse(["-V"]).version)
        #expect(try DeployArguments.parse(["--version"]).version)
    }

    /// Targets with characters a shell would split or expand: each stays exactly one target.
    static let targetCases: [(text: String, expected: TargetPattern)] = [
        (#"path:/srv/f#"db:1".system"#, TargetPattern(flake: "path:/srv/f", node: "db:1", profile: "system")),
        ("path:/srv/f#db:1.system", TargetPattern(flake: "path:/srv/f", node: "db:1", profile: "system")),
        (#".#"a/b".p"#, TargetPattern(flake: ".", node: "a/b", profile: "p")),
        (#".#"a\"b".c"#, TargetPattern(flake: ".", node: #"a"b"#, profile: "c")),
        (#".#"a\\\"b".c"#, TargetPattern(flake: ".", node: #"a\"b"#, profile: "c")),
        (#".#"a#b".c"#, TargetPattern(flake: ".", node: "a#b", profile: "c")),
        (#".#"web one".system"#, TargetPattern(flake: ".", node: "web one", profile: "system")),
        (".#-db.system", TargetPattern(flake: ".", node: "-db", profile: "system")),
        (#".#"-db""#, TargetPattern(flake: ".", node: "-db")),
        (#".#"web.example.com".system"#, TargetPattern(flake: ".", node: "web.example.com", profile: "system")),
        ("path:/srv/fleet", TargetPattern(flake: "path:/srv/fleet", node: "*")),
    ]

    @Test(arguments: 0..<targetCases.count)
    func testTargetsKeepEveryCharacter(index: Int) throws {
        let (text, expected) = Self.targetCases[index]
        #expect(try Self.request([text]).targets == [expected])
        #expect(try Self.request(["--targets", text]).targets == [expected])
    }

    @Test func testSeveralTargetsKeepTheOrderGiven() throws {
        let expected = [
            TargetPattern(flake: ".", node: "zeta", profile: "system"),
            TargetPattern(flake: ".", node: "alpha"),
            TargetPattern(flake: "path:/other", node: "mid"),
        ]
        #expect(try Self.request(["--targets", ".#zeta.system", ".#alpha", "path:/other#mid"]).targets == expected)
        #expect(
            try Self.request(["--targets", ".#zeta.system", ".#alpha", "path:/other#mid"]).deploymentRequest().flakes
                == [
                    ".", "path:/other",
                ]
        )
    }

    /// Bad values are usage errors (exit 64) whose message names the flag.
    static let usageErrorCases: [(arguments: [String], mentions: String)] = [
        (["--confirm-timeout", "x"], "--confirm-timeout"),
        (["--confirm-timeout", "-5"], "--confirm-timeout"),
        (["--activation-timeout", "70000"], "--activation-timeout"),
        (["--magic-rollback", "maybe"], "--magic-rollback"),
        (["--auto-rollback"], "--auto-rollback"),
        (["--fast-connection", "yes"], "--fast-connection"),
        (["--rollback-succeeded", "nope"], "--rollback-succeeded"),
        (["--interactive-sudo", "1"], "--interactive-sudo"),
        (["--jobs", "0"], "--jobs"),
        (["--jobs", "many"], "--jobs"),
        (["--ssh-opts", "-o 'unterminated"], "--ssh-opts"),
        (["--ssh-user", ""], "--ssh-user"),
        (["--dry-activate", "--boot"], "--boot"),
        ([".#a", "--targets", ".#b"], "--targets"),
        ([".#a", ".#b"], ".#b"),
        ([".#web..x"], ".#web..x"),
        (["--no-such-flag"], "--no-such-flag"),
        (["--batches", "0"], "--batches"),
        (["--batches", "150%"], "--batches"),
        (["--batches", "1,x"], "--batches"),
        (["--max-failures", "lots"], "--max-failures"),
        (["--on-failure", "rollback"], "--on-failure"),
        (["--batches", "1", "--pause-after", "x"], "--pause-after"),
        ([".#@"], ".#@"),
    ]

    @Test func testRolloutAndHealthFlagsReachTheOptions() throws {
        let request = try Self.request([
            ".#@web", "--batches", "1,25%,100%", "--max-failures", "10%", "--on-failure", "rollback-batch",
            "--skip-health-checks", "--skip-pre-deploy-checks",
        ])
        #expect(request.targets == [TargetPattern(flake: ".", node: "*", tag: "web")])
        let options = request.deployOptions
        #expect(options.rollout.batches == [.count(1), .percent(25), .percent(100)])
        #expect(options.rollout.maxFailures == .percent(10) && options.rollout.onFailure == .rollbackBatch)
        #expect(!options.runsHealthChecks && !options.runsPreDeployChecks)
        let plain = try Self.request([]).deployOptions
        #expect(plain.rollout == Rollout.Overrides() && plain.runsHealthChecks && plain.runsPreDeployChecks)
    }

    @Test(arguments: 0..<usageErrorCases.count)
    func testBadValuesAreUsageErrorsNamingTheFlag(index: Int) {
        let (arguments, mentions) = Self.usageErrorCases[index]
        do {
            let request = try Self.request(arguments)
            Issue.record("\(arguments) parsed to \(request)")
        } catch {
            #expect(DeployArguments.exitCode(for: error) == .validationFailure, "\(arguments)")
            #expect(DeployArguments.message(for: error).contains(mentions), "\(DeployArguments.message(for: error))")
        }
    }
}
