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

    @Test func testJobsBelowOneAreRefusedVerbatim() async {
        let shell = TestShell(runner: RecordingRunner())
        #expect(await shell.run("set jobs 0", file: "j.dsh") == .failed)
        #expect(shell.takeErrors().hasPrefix("j.dsh:1:1: error: set: jobs must be a whole number of at least 1"))
        #expect(await shell.run("deploy --jobs 0 web.system", file: "d.dsh") == .failed)
        #expect(shell.takeErrors().contains("--jobs must be at least 1"))
        #expect(shell.session.settings.jobs == nil)
    }
}
