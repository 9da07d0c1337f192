import ArgumentParser
import DeployKit
import Synchronization

/// `check-health [TARGET...]`: runs the selected profiles' health checks now, once each.
///
/// It never confirms or rolls back: in the step-through flow, `activate --no-confirm` holds the
/// magic-rollback window, `check-health` shows how the new generation does, and `confirm` or
/// `rollback` decides. Fails (exit 1) when any check fails.
package struct CheckHealthCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "check-health",
        abstract: "Run the selected profiles' health checks now (http/tcp from here, cmd on the node).",
        discussion: "Example: check-health web1"
    )

    @Flag(help: "Run the preDeployChecks instead of the healthChecks.") var preDeploy = false
    @Option(help: "Profiles checked at once (default: `set jobs`, else 8).") var jobs: Int?
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        let refs = try SelectCommand.targets(targets, in: session, command: "check-health")
        let profiles = try refs.map { try session.resolve($0) }
        let engine = try await session.services()
        let events = ConsoleEventSink(console: session.console)
        let checker = HealthChecker(
            runner: engine.runner,
            remote: engine.remote,
            events: events,
            sudoPassword: engine.activation.sudoPassword
        )
        let preDeploy = preDeploy
        let collected = HealthResults()
        try await BoundedConcurrency.forEach(profiles, limit: jobs ?? session.settings.effectiveJobs) { profile in
            let checks = preDeploy ? profile.settings.health.preDeployChecks : profile.settings.health.checks
            let results = await checker.runOnce(
                checks,
                on: profile,
                step: preDeploy ? .preDeployCheck : .health
            )
            collected.add(results, for: profile.ref)
        }
        events.finish()
        return HealthReport(checks: refs.flatMap { collected.results(for: $0) })
    }
}

/// Results of concurrent profiles, read back in selection order.
private final class HealthResults: Sendable {
    private let byTarget = Mutex<[ProfileRef: [HealthChecker.Result]]>([:])

    func add(_ results: [HealthChecker.Result], for ref: ProfileRef) {
        byTarget.withLock { $0[ref] = results }
    }

    func results(for ref: ProfileRef) -> [HealthChecker.Result] {
        byTarget.withLock { $0[ref] ?? [] }
    }
}

/// `{"health":[{"target","check","ok","attempts","detail"}],"ok":..}`, a table in text.
package struct HealthReport: Report {
    struct Row: Encodable {
        var target: String
        var check: String
        var ok: Bool
        var attempts: Int
        var detail: String
    }

    var rows: [Row]

    init(checks: [HealthChecker.Result]) {
        rows = checks.map {
            Row(target: $0.target, check: $0.check, ok: $0.isHealthy, attempts: $0.attempts, detail: $0.detail)
        }
    }

    package var isFailure: Bool { rows.contains { !$0.ok } }

    enum CodingKeys: String, CodingKey { case health, ok }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .health)
        try container.encode(!isFailure, forKey: .ok)
    }

    package func text(style: TextStyle) -> String {
        if rows.isEmpty { return "no health checks for the selected profiles" }
        let table = Table(
            header: ["TARGET", "CHECK", "OK", "ATTEMPTS", "DETAIL"],
            rows: rows.map { row in
                [
                    row.target, row.check, row.ok ? style.green("ok") : style.red("failed"), String(row.attempts),
                    row.detail,
                ]
            }
        )
        return table.render(style: style)
    }
}
