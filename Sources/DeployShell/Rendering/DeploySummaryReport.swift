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

        init(_ record: TargetRecord) {
            target = record.ref.description
            node = record.ref.node
            profile = record.ref.profile
            state = record.state.rawValue
            generationBefore = record.generationBefore
            generationAfter = record.generationAfter
            storePath = record.storePath.isEmpty ? nil : record.storePath
            error = record.error?.reason
            failure = record.error.map { Self.name(of: $0.failure) }
            hint = record.error?.hint
            batch = record.batch
            health = record.health.isEmpty ? nil : record.health
        }

        /// The failure kind's name for JSON (`activationFailed`, `unreachable`, ...).
        static func name(of failure: DeployFailure) -> String {
            String(describing: failure).split(separator: "(").first.map(String.init) ?? "other"
        }
    }

    var targets: [Row]
    var ok: Bool
    var cancelled: Bool
    /// The command whose summary this is, for the headline (`deploy summary: ...`).
    var command: String

    package init(_ summary: DeploySummary, ok: Bool, command: String = "deploy") {
        targets = summary.targets.map(Row.init)
        self.ok = ok
        cancelled = summary.wasCancelled
        self.command = command
    }

    package var isFailure: Bool { !ok }

    enum CodingKeys: String, CodingKey { case event, targets, ok, cancelled }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("summary", forKey: .event)
        try container.encode(targets, forKey: .targets)
        try container.encode(ok, forKey: .ok)
        try container.encode(cancelled, forKey: .cancelled)
    }

    package func text(style: TextStyle) -> String {
        let staged = targets.contains { $0.batch != nil }
        let table = Table(
            header: (staged ? ["BATCH"] : []) + ["TARGET", "STATE", "BEFORE", "AFTER", "DETAIL"],
            rows: targets.map {
                (staged ? [$0.batch.map(String.init) ?? "-"] : []) + [
                    $0.target, $0.state, $0.generationBefore.map(String.init) ?? "-",
                    $0.generationAfter.map(String.init) ?? "-", $0.error ?? "",
                ]
            }
        )
        let counts = Dictionary(grouping: targets, by: \.state).map { "\($0.value.count) \($0.key)" }.sorted()
        let headline = command + (cancelled ? " cancelled: " : " summary: ") + counts.joined(separator: ", ")
        return style.bold(headline) + "\n" + table.render(style: style)
    }
}
