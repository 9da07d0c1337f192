/// The health gate inside the magic-rollback window, and the pre-deploy checks.
extension ActivationFlow {
    /// The checker over this flow's runner, connection and events.
    package var healthChecker: HealthChecker {
        HealthChecker(runner: runner, remote: remote, events: events, sudoPassword: sudoPassword)
    }

    /// Runs `target`'s health checks after its activation: retried until all pass or
    /// `healthTimeout`, then soaked; while `pending`, the watchdog's deadline is extended.
    package func checkHealth(_ target: DeployTarget, pending: PendingActivation?) async throws -> HealthChecker.Verdict
    {
        let profile = target.resolved
        let health = profile.settings.health
        var extend: (@Sendable (Int) async -> Bool)?
        if let pending {
            let client = try await client(for: profile)
            let tempPath = profile.settings.tempPath
            extend = { seconds in
                guard let reply = try? await client.run(.extend(tempPath: tempPath, id: pending.id, seconds: seconds))
                else { return false }
                return reply.exitCode == 0
            }
        }
        let names = health.checks.map(\.name).joined(separator: ", ")
        events.emit(DeployEvent(.started, target: target.ref, step: .health, message: names))
        let verdict = try await healthChecker.gate(
            profile,
            checks: health.checks,
            settings: health,
            windowEnd: pending?.deadline,
            extend: extend
        )
        switch verdict {
        case .healthy:
            events.emit(DeployEvent(.finished, target: target.ref, step: .health, message: "every check passed"))
        case .unhealthy(let failing, let duringSoak, _):
            let when = duringSoak ? "turned red during the soak" : "did not pass within healthTimeout"
            events.emit(DeployEvent(.failed, target: target.ref, step: .health, message: "\(failing.check) \(when)"))
        }
        return verdict
    }

    /// Runs `profile`'s `preDeployChecks` once each; the first failing result, or `nil`.
    package func preDeployFailure(_ profile: ResolvedProfile) async -> HealthChecker.Result? {
        let checks = profile.settings.health.preDeployChecks
        guard !checks.isEmpty else { return nil }
        let results = await healthChecker.runOnce(checks, on: profile, step: .preDeployCheck)
        return results.first { !$0.isHealthy }
    }
}
