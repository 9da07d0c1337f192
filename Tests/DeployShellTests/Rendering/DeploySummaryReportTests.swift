import DeployKit
import Testing

@testable import DeployShell

/// Small: the summary's headline tells the failure that caused the rest from what followed from it.
@Suite struct DeploySummaryReportTests {
    static func row(_ node: String, _ state: TargetState, failure: DeployFailure? = nil, reason: String = "")
        -> TargetRecord
    {
        var record = TargetRecord(ref: ProfileRef(node: node, profile: "system"), storePath: "/nix/store/x")
        record.state = state
        if let failure {
            record.error = DeployError(
                target: record.ref,
                step: .activate,
                reason: reason,
                failure: failure,
                state: state
            )
        }
        return record
    }

    static func headline(_ rows: [TargetRecord], cancelled: Bool = false) -> String {
        let report = DeploySummaryReport(DeploySummary(targets: rows, wasCancelled: cancelled), ok: false)
        return String(report.text(style: .plain).prefix { $0 != "\n" })
    }

    @Test func testOneFailureAndTheRollbacksItCausedAreCountedApart() {
        let rows = [
            Self.row(
                "web1",
                .rolledBack,
                failure: .activationFailed(status: 3),
                reason: "activation failed (exit status 3)"
            ),
            Self.row("web2", .rolledBack, failure: .otherTargetFailed, reason: "rolled back: web1.system failed"),
            Self.row("web3", .rolledBack, failure: .otherTargetFailed, reason: "rolled back: web1.system failed"),
        ]
        #expect(
            Self.headline(rows)
                == "deploy summary: 1 failed (web1.system: activation failed (exit status 3)), "
                + "2 rolled back because of it"
        )
    }

    @Test func testTargetsNotStartedAndUntouchedAreCountedByState() {
        let rows = [
            Self.row("db1", .confirmed),
            Self.row("web1", .failed, failure: .unreachable, reason: "cannot connect to root@10.0.0.1"),
            Self.row("web2", .failed, failure: .setFailed, reason: "nix-env --set failed"),
            Self.row("web3", .notStarted, failure: .otherTargetFailed, reason: "not started"),
            Self.row("web4", .rolledBack, failure: .otherTargetFailed, reason: "rolled back"),
        ]
        #expect(
            Self.headline(rows)
                == "deploy summary: 2 failed (web1.system: cannot connect to root@10.0.0.1; web2.system: "
                + "nix-env --set failed), 1 not started because of them, 1 rolled back because of them, 1 confirmed"
        )
    }

    @Test func testARollbackThatFailedSaysSo() {
        let rows = [
            Self.row("n1", .rolledBack),
            Self.row("n2", .rollbackFailed, failure: .rollbackFailed, reason: "no generation 1; nothing was changed"),
        ]
        #expect(
            Self.headline(rows)
                == "deploy summary: 1 rollback failed (n2.system: no generation 1; nothing was changed), 1 rolled back"
        )
    }

    @Test func testWithoutFailuresTheCountsAreByState() {
        #expect(Self.headline([Self.row("a", .confirmed), Self.row("b", .confirmed)]) == "deploy summary: 2 confirmed")
        #expect(
            Self.headline(
                [Self.row("a", .confirmed), Self.row("b", .notStarted, failure: .cancelled)],
                cancelled: true
            )
                == "deploy cancelled: 1 confirmed, 1 not started"
        )
    }

    @Test func testTheJSONRowsAreUnchanged() {
        let rows = [
            Self.row("web1", .rolledBack, failure: .activationFailed(status: 3), reason: "boom"),
            Self.row("web2", .rolledBack, failure: .otherTargetFailed, reason: "rolled back"),
        ]
        let json = JSONRenderer.line(DeploySummaryReport(DeploySummary(targets: rows), ok: false))
        #expect(json.hasPrefix(#"{"cancelled":false,"event":"summary","ok":false,"targets":[{"error":"boom","#))
        #expect(json.contains(#""failure":"otherTargetFailed","#))
    }

    /// Each row's hint (JSON `hint`) names a step that can be taken where the summary is read:
    /// a shell command in the shell, a command line in the one-shot.
    @Test func testTheRowsHintsFitTheFace() throws {
        var unhealthy = Self.row("web1", .unhealthy, failure: .unhealthy(check: "http", attempts: 3), reason: "red")
        unhealthy.error?.hint =
            "The target stays on the new generation (magicRollback and autoRollback are off); "
            + "run `rollback web1.system` to go back."
        var failed = Self.row("web2", .failed, failure: .activationFailed(status: 3), reason: "boom")
        failed.error?.hint = "Run `rollback` to go back, or fix the activation and deploy again."
        let summary = DeploySummary(targets: [unhealthy, failed])
        let shell = JSONRenderer.line(DeploySummaryReport(summary, ok: false, face: .shell))
        #expect(shell.contains("run `rollback web1.system` to go back."), "\(shell)")
        let oneShot = JSONRenderer.line(DeploySummaryReport(summary, ok: false, face: .oneShot))
        #expect(
            oneShot.contains(
                "The target stays on the new generation (magicRollback and autoRollback are off); "
                    + "go back with `deploysh -c 'load FLAKE; rollback web1.system'`."
            ),
            "\(oneShot)"
        )
        #expect(
            oneShot.contains(
                "Go back with `deploysh -c 'load FLAKE; rollback web2.system'`, or fix the activation and deploy again."
            ),
            "\(oneShot)"
        )
    }

    @Test func testAPausedRolloutSaysHowFarItGotAndWhichTargetsWait() {
        var rows = [Self.row("web1", .confirmed), Self.row("web2", .waiting), Self.row("web3", .waiting)]
        for index in rows.indices { rows[index].batch = index == 0 ? 0 : 1 }
        let pause = DeploySummaryReport.Pause(afterBatch: 0, deployedNodes: 1, nodes: 3)
        let report = DeploySummaryReport(DeploySummary(targets: rows), ok: true, pause: pause)
        let text = report.text(style: .plain)
        #expect(
            text.split(separator: "\n").first
                == "deploy paused after batch 0: 1 of 3 nodes deployed; resume or abort"
        )
        #expect(text.contains("waiting"))
        #expect(!text.contains("built"))
        #expect(!report.isFailure)
        let json = JSONRenderer.line(report)
        #expect(json.hasPrefix(#"{"cancelled":false,"event":"summary","ok":true,"paused":true,"pausedAfterBatch":0,"#))
        #expect(json.contains(#""state":"waiting""#))
        let finished = JSONRenderer.line(
            DeploySummaryReport(DeploySummary(targets: [Self.row("a", .confirmed)]), ok: true)
        )
        #expect(!finished.contains("paused"))
    }
}
