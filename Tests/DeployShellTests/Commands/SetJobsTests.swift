import DeployKit
import DeployTestSupport
import Testing

@testable import DeployShell

/// Small: the shell's own settings `jobs` and `logDir`, and `deploy --jobs` validation.
@Suite(.timeLimit(.minutes(1)))
@MainActor
struct SetJobsTests {
    @Test func testSetJobsAndLogDirAreKeptInTheSession() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set jobs 3; set logDir /tmp/deploy logs") == .success)
        #expect(shell.session.settings.jobs == 3)
        #expect(shell.session.settings.logDirectory == "/tmp/deploy logs")
        #expect(shell.takeOutput() == "jobs = 3\nlogDir = /tmp/deploy logs\n")
    }

    @Test func testUnsetJobsAndLogDirGoBackToTheDefaults() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set jobs 3; set logDir /tmp/l; unset jobs; unset logDir") == .success)
        #expect(shell.session.settings.jobs == nil)
        #expect(shell.session.settings.logDirectory == nil)
        #expect(shell.takeOutput() == "jobs = 3\nlogDir = /tmp/l\njobs = default (8)\nlogDir = none (no logs)\n")
    }

    @Test func testShowOutputFullShowsEveryActivationLineUntilUnset() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set showOutput full") == .success)
        #expect(shell.session.settings.showsAllOutput)
        #expect(await shell.run("set showOutput tail; set showOutput full; unset showOutput") == .success)
        #expect(!shell.session.settings.showsAllOutput)
        #expect(
            shell.takeOutput()
                == "showOutput = full\nshowOutput = tail\nshowOutput = full\nshowOutput = tail (the last 5 lines)\n"
        )
        #expect(await shell.run("set showOutput all", file: "o.dsh") == .failed)
        #expect(shell.takeErrors().hasPrefix("o.dsh:1:1: error: set: showOutput takes full or tail"))
    }

    @Test func testJobsBelowOneAreRefusedVerbatim() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set jobs 0", file: "j.dsh") == .failed)
        #expect(shell.takeErrors().hasPrefix("j.dsh:1:1: error: set: jobs must be a whole number of at least 1"))
        #expect(await shell.run("deploy --jobs 0 web.system", file: "d.dsh") == .failed)
        #expect(shell.takeErrors().contains("--jobs must be at least 1"))
        #expect(shell.session.settings.jobs == nil)
    }

    @Test func testSetAloneListsEverySettingWithItsValue() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set jobs 3; set confirmTimeout 60") == .success)
        _ = shell.takeOutput()
        #expect(await shell.run("set") == .success)
        #expect(
            shell.takeOutput() == """
                SETTING            VALUE  WITHOUT A VALUE
                jobs               3      set
                logDir             -      no logs
                showOutput         -      tail (the last 5 lines)
                batches            -      the flake's rollout, else one batch
                maxFailures        -      the flake's rollout, else 0
                onFailure          -      the flake's rollout, else rollback-all
                healthChecks       -      on
                pushTo             -      the flake's binaryCache, else direct copies
                pullFrom           -      the flake's binaryCache, else pushTo
                cacheKey           -      deploysh's own key (made on first use)
                cacheFallback      -      on
                builders           -      nix.conf's builders
                maxJobs            -      nix.conf's max-jobs
                sshUser            -      flake, else the local user
                user               -      flake, else the local user
                sshOpts            -      flake, else none
                fastConnection     -      flake, else false
                autoRollback       -      flake, else true
                magicRollback      -      flake, else true
                confirmTimeout     60     set
                activationTimeout  -      flake, else 240
                tempPath           -      flake, else /tmp
                sudo               -      flake, else sudo -u
                interactiveSudo    -      flake, else false
                remoteBuild        -      flake, else false
                hostname           -      flake

                """
        )
    }
}
