import DeployKit

/// The summary of a deploy, one row per target: `{"event":"summary","ok":..,"targets":[..]}`.
///
/// Printed on every ending of `deploy`, `confirm` and `rollback` (success, failure, lost node,
/// Ctrl-C), so a person and a script always learn where every target is.
package struct DeploySummaryReport: Report {
    /// One target's row.
    package struct Row: Encodable, Sendable {
        var target: String
        var node: String
        var profile: String
        var state: String
        var generationBefore: Int?
        var generationAfter: Int?
        /// Omitted when the plan never evaluated it (`rollback`).
        var storePath: String?
        var error: String?
        var failure: String?
        var hint: String?
        /// The batch of a staged rollout (from 0); omitted when the deploy was not staged.
        var batch: Int?
        /// The health checks' results after activation; omitted when none ran.
        var health: [HealthChecker.Result]?
        /// How the closure reached the node: `direct`, `cache` or `fallback`; omitted when not copied.
        var copy: String?
        /// The cache pulled from (`cache`), or the pull's failure before the direct copy (`fallback`).
        var copyDetail: String?

        /// - Parameter face: where the summary is read, so the hint names a step that can be taken there.
        init(_ record: TargetRecord, face: Face) {
            target = record.ref.description
            node = record.ref.node
            profile = record.ref.profile
            state = record.state.rawValue
            generationBefore = record.generationBefore
            generationAfter = record.generationAfter
            storePath = record.storePath.isEmpty ? nil : record.storePath
            error = record.error?.reason
            failure = record.error.map { Self.name(of: $0.failure) }
            hint = record.error?.hint(in: face)
            batch = record.batch
            health = record.health.isEmpty ? nil : record.health
            copy = record.copyWay?.name
            switch record.copyWay {
            case .cache(let url): copyDetail = "pulled from \(StoreURL.display(url))"
            case .fallback(let url, let reason):
                copyDetail = "copied directly: pull from \(StoreURL.display(url)) failed (\(reason))"
            case .direct, nil: copyDetail = nil
            }
        }

        /// The failure kind's name for JSON (`activationFailed`, `unreachable`, ...).
        static func name(of failure: DeployFailure) -> String {
            String(describing: failure).split(separator: "(").first.map(String.init) ?? "other"
        }
    }

    /// How far a staged rollout got when it paused (`--pause-after`). A pause is not a failure:
    /// `ok` stays true when nothing failed, the targets of later batches are `waiting`.
    package struct Pause: Sendable, Hashable {
        /// The batch (from 0) done when the rollout paused.
        var afterBatch: Int
        /// The nodes of the batches done whose every target was deployed (confirmed).
        var deployedNodes: Int
        /// Every node of the rollout.
        var nodes: Int
        /// What the person can do next, for the headline (`resume or abort` in the shell).
        var next: String?

        package init(afterBatch: Int, deployedNodes: Int, nodes: Int, next: String? = "resume or abort") {
            self.afterBatch = afterBatch
            self.deployedNodes = deployedNodes
            self.nodes = nodes
            self.next = next
        }

        package init(_ paused: PausedRollout, next: String? = "resume or abort") {
            self.init(
                afterBatch: paused.batch,
                deployedNodes: paused.deployedNodeCount,
                nodes: paused.plan.nodes.count,
                next: next
            )
        }
    }

    var targets: [Row]
    var ok: Bool
    var cancelled: Bool
    /// The command whose summary this is, for the headline (`deploy summary: ...`).
    var command: String
    /// Set when the summary is a paused rollout's.
    var pause: Pause?

    /// - Parameters:
    ///   - face: the shell or the one-shot: each row's hint names a step that can be taken there.
    ///   - pause: how far a paused rollout got, when it paused.
    package init(
        _ summary: DeploySummary,
        ok: Bool,
        command: String = "deploy",
        face: Face = .shell,
        pause: Pause? = nil
    ) {
        targets = summary.targets.map { Row($0, face: face) }
        self.ok = ok
        cancelled = summary.wasCancelled
        self.command = command
        self.pause = pause
    }

    package var isFailure: Bool { !ok }

    enum CodingKeys: String, CodingKey { case event, targets, ok, cancelled, paused, pausedAfterBatch }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("summary", forKey: .event)
        try container.encode(targets, forKey: .targets)
        try container.encode(ok, forKey: .ok)
        try container.encode(cancelled, forKey: .cancelled)
        if let pause {
            try container.encode(true, forKey: .paused)
            try container.encode(pause.afterBatch, forKey: .pausedAfterBatch)
        }
    }

    package func text(style: TextStyle) -> String {
        let staged = targets.contains { $0.batch != nil }
        let table = Table(
            header: (staged ? ["BATCH"] : []) + ["TARGET", "STATE", "BEFORE", "AFTER", "DETAIL"],
            rows: targets.map {
                (staged ? [$0.batch.map(String.init) ?? "-"] : []) + [
                    $0.target, $0.state, $0.generationBefore.map(String.init) ?? "-",
                    $0.generationAfter.map(String.init) ?? "-", $0.error ?? $0.copyDetail ?? "",
                ]
            }
        )
        var headline = command + (cancelled ? " cancelled: " : " summary: ") + Self.counts(targets)
        if let pause, !cancelled {
            headline =
                "\(command) paused after batch \(pause.afterBatch): \(pause.deployedNodes) of \(pause.nodes) "
                + "node\(pause.nodes == 1 ? "" : "s") deployed" + (pause.next.map { "; " + $0 } ?? "")
        }
        return style.bold(headline) + "\n" + table.render(style: style)
    }

    /// The headline's counts, cause apart from consequence: `1 failed (web1.system: activation
    /// failed), 2 rolled back because of it, 1 confirmed`.
    ///
    /// A target that failed by itself is a cause; one rolled back or never started because
    /// another failed (`otherTargetFailed`) is a consequence, counted by the state it ended in.
    /// The rest are counted by state. (JSON has each row's `failure`, so it needs none of this.)
    static func counts(_ targets: [Row]) -> String {
        let consequence = DeploySummaryReport.Row.name(of: .otherTargetFailed)
        let cancelled = DeploySummaryReport.Row.name(of: .cancelled)
        let causes = targets.filter { $0.failure != nil && $0.failure != consequence && $0.failure != cancelled }
        let consequences = targets.filter { $0.failure == consequence }
        let others = targets.filter { row in !causes.contains { $0.target == row.target } && row.failure != consequence
        }
        var parts: [String] = []
        // A cause is "failed" whatever state it was left in (a failed activation is rolled back by
        // its own safety net), except a rollback that failed, which says so.
        let rollbackFailed = TargetState.rollbackFailed.rawValue
        for label in ["failed", rollbackFailed] {
            let group = causes.filter { ($0.state == rollbackFailed) == (label == rollbackFailed) }
            guard !group.isEmpty else { continue }
            let named = group.map { row in
                row.target + ": " + (row.error?.split(separator: "\n").first.map(String.init) ?? row.state)
            }
            parts.append("\(group.count) \(label) (" + named.joined(separator: "; ") + ")")
        }
        let because = causes.count == 1 ? " because of it" : (causes.isEmpty ? "" : " because of them")
        parts += Self.byState(consequences).map { $0 + because }
        parts += Self.byState(others)
        return parts.joined(separator: ", ")
    }

    /// `2 rolled back`, `1 not started`, ... in the order of the states' names.
    private static func byState(_ rows: [Row]) -> [String] {
        Dictionary(grouping: rows, by: \.state).map { "\($0.value.count) \($0.key)" }.sorted()
    }
}
