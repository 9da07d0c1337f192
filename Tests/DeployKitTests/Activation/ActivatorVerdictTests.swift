import DeployTestSupport
import Testing

@testable import DeployKit

/// Small: the activator's machine lines become a typed verdict; nothing is inferred from text.
@Suite(.tags(.small)) struct ActivatorVerdictTests {
    static func output(_ text: String, status: TerminationStatus = .exited(1)) -> ActivatorReply {
        ActivatorReply(
            CommandResult(
                invocation: Invocation("ssh", []),
                status: status,
                standardOutput: text,
                standardErrorTail: [],
                duration: .zero
            )
        )
    }

    @Test(arguments: [
        ("deploysh:generation=4\ndeploysh:result=confirmed\n", ActivatorVerdict.confirmed(generation: 4)),
        ("deploysh:generation=3\ndeploysh:result=rolled-back\n", .rolledBack(generation: 3)),
        ("deploysh:generation=4\ndeploysh:result=rollback-failed\n", .rollbackFailed(generation: 4)),
        ("deploysh:generation=5\ndeploysh:result=failed\n", .failed(generation: 5)),
        ("deploysh:generation=2\ndeploysh:result=aborted\n", .unchanged(generation: 2)),
    ])
    func testRecordedVerdictsKeepTheNodesGeneration(text: String, verdict: ActivatorVerdict) {
        #expect(ActivatorVerdict(Self.output(text)) == verdict)
    }

    @Test func testWhatCannotBeToldIsUnknownWithTheLastThingSeen() {
        let missing = ActivatorVerdict(Self.output("deploysh:generation=\ndeploysh:result=missing\n"))
        #expect(missing.state == .unknown)
        #expect(
            missing.summary
                == "the node's state is unknown: no record of the deployment on the node (rebooted, or tempPath cleared?)"
        )
        let undecided = ActivatorVerdict(
            Self.output("deploysh:last=pending\ndeploysh:result=timeout\n", status: .exited(2))
        )
        #expect(
            undecided.summary == "the node's state is unknown: the watchdog had not decided yet (last status: pending)"
        )
        let silent = ActivatorVerdict(Self.output("", status: .signaled(9)))
        #expect(silent == .unknown(lastSeen: "no answer from the activator (killed by signal 9)"))
    }

    @Test func testOnlyARecordedRollbackIsRolledBack() {
        #expect(ActivatorVerdict(Self.output("deploysh:result=rolled-back\n")).state == .rolledBack)
        #expect(ActivatorVerdict(Self.output("deploysh:result=rollback-failed\n")).state == .rollbackFailed)
        #expect(ActivatorVerdict(Self.output("deploysh:result=lost\n")).state == .unknown)
        #expect(ActivatorVerdict(Self.output("deploysh:result=rolling-back\n")).state == .unknown)
    }

    @Test func testLongOutputLinesAreShortenedForDisplayOnly() {
        let line = String(repeating: "x", count: 5000)
        #expect(
            OutputLine.shortened(line) == String(repeating: "x", count: 4096) + " … [line shortened: 904 more bytes]"
        )
        #expect(OutputLine.shortened("short") == "short")
    }
}
