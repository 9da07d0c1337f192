/// Runs a profile's health checks: `cmd` on the target over the node's shared ssh connection,
/// `http` and `tcp` from the deployer (``HealthProbe``; `https` through `curl` and the one runner).
///
/// ``gate(_:checks:pending:client:)`` is the deploy's health gate: every check retried each
/// `period` until all passed or `healthTimeout`, then all kept green for `healthSoak`, while the
/// target's watchdog deadline is pushed forward (`extend`) so it never fires while checks
/// progress, and still fires if the deployer dies.
package struct HealthChecker: Sendable {
    /// What one check did.
    package struct Result: Sendable, Hashable, Codable {
        package var target: String
        package var check: String
        package var isHealthy: Bool
        package var attempts: Int
        /// The last attempt's output, shortened, control characters made visible, secrets masked.
        package var detail: String

        enum CodingKeys: String, CodingKey {
            case target, check, attempts, detail
            case isHealthy = "ok"
        }

        package init(target: String, check: String, isHealthy: Bool, attempts: Int, detail: String) {
            self.target = target
            self.check = check
            self.isHealthy = isHealthy
            self.attempts = attempts
            self.detail = detail
        }
    }

    /// How the gate ended.
    package enum Verdict: Sendable, Hashable {
        case healthy([Result])
        /// `failing` never passed within healthTimeout, or turned red during the soak.
        case unhealthy(failing: Result, duringSoak: Bool, results: [Result])
    }

    package var runner: any CommandRunner
    package var remote: RemoteSession
    package var events: any EventSink
    /// Asks for the sudo password of a host (`interactiveSudo`), as activation does
    /// (``ActivationFlow/sudoPassword``: the session asks once per host and keeps it).
    package var sudoPassword: (@Sendable (_ host: String) async throws -> String?)?

    package init(
        runner: any CommandRunner,
        remote: RemoteSession,
        events: any EventSink,
        sudoPassword: (@Sendable (_ host: String) async throws -> String?)? = nil
    ) {
        self.runner = runner
        self.remote = remote
        self.events = events
        self.sudoPassword = sudoPassword
    }

    /// The longest detail kept (the summary row and JSON show it).
    package static let detailLimit = 200

    // MARK: - One attempt

    /// One attempt of `check` on `profile`'s node, bounded by the check's `timeout`.
    package func attempt(_ check: HealthCheck, on profile: ResolvedProfile) async -> HealthProbe.Outcome {
        let timeout = max(check.timeout, 0.1)
        switch check.kind {
        case .tcp(let text):
            guard let address = HealthAddress(text, hostname: profile.hostname) else {
                return .init(isHealthy: false, detail: "malformed address \(text)")
            }
            return await HealthProbe.tcp(host: address.host, port: address.port, timeout: timeout)
        case .http(let text):
            guard let url = HealthURL(text, hostname: profile.hostname) else {
                return .init(isHealthy: false, detail: "malformed URL \(text)")
            }
            if url.isHTTPS { return await curl(url, check: check, timeout: timeout) }
            return await HealthProbe.http(url, check: check, timeout: timeout)
        case .cmd(let words):
            return await command(words, on: profile, timeout: timeout)
        }
    }

    /// `cmd`: the words on the target as the profile's user (sudo as configured), under
    /// coreutils' `timeout` there, over the node's shared connection; exit 0 is healthy.
    ///
    /// With `interactiveSudo`, the password goes to sudo on standard input, as for activation;
    /// the check's own command reads `/dev/null`, so it never sees the password (not even when
    /// sudo did not need it and left it unread).
    private func command(_ words: [String], on profile: ResolvedProfile, timeout: Double) async -> HealthProbe.Outcome {
        let limit = DecimalText.fixed(timeout, digits: 1)
        do {
            var password: String?
            if profile.usesSudo, profile.settings.interactiveSudo, let sudoPassword {
                password = try await sudoPassword(profile.hostname)
            }
            let sudo = ActivatorClient.sudoWords(for: profile)
            let remoteWords =
                (password == nil ? sudo.filter { $0 != "-S" } : sudo)
                + ["timeout", "-k", "1", limit, "sh", "-c", "\"$@\" 2>&1 </dev/null", "sh"] + words
            var invocation = remote.ssh(for: profile).run(remoteWords)
            if let password { invocation.standardInput = password + "\n" }
            try await remote.connect(profile)
            let result = try await Self.bounded(seconds: timeout + 3) { [invocation] in
                try await runner.run(invocation)
            }
            guard let result else {
                return .init(isHealthy: false, detail: "no answer within \(limit) s")
            }
            let output = (result.standardOutput + result.standardErrorTail.joined(separator: "\n"))
            switch result.status.exitCode {
            case 0: return .init(isHealthy: true, detail: output.isEmpty ? "exit status 0" : output)
            case 124: return .init(isHealthy: false, detail: "timed out after \(limit) s: \(output)")
            case let code?: return .init(isHealthy: false, detail: "exit status \(code): \(output)")
            case nil: return .init(isHealthy: false, detail: "\(result.status): \(output)")
            }
        } catch {
            return .init(isHealthy: false, detail: DeployError.from(error, target: profile.ref, step: .health).message)
        }
    }

    /// `https`: Debian's `curl` (argv, no shell), bounded by `--max-time`.
    private func curl(_ url: HealthURL, check: HealthCheck, timeout: Double) async -> HealthProbe.Outcome {
        var arguments = [
            "--silent", "--show-error", "--include", "--http1.1", "--max-time", DecimalText.fixed(timeout, digits: 1),
        ]
        if check.insecure { arguments.append("--insecure") }
        for header in check.headers { arguments += ["--header", "\(header.name): \(header.value)"] }
        arguments += ["--", url.text]
        do {
            let result = try await runner.run(Invocation("curl", arguments))
            guard result.status.exitCode == 0 else {
                return .init(isHealthy: false, detail: result.standardErrorTail.joined(separator: "\n"))
            }
            return HealthProbe.match(Array(result.standardOutput.utf8), check: check, url: url)
        } catch {
            return .init(isHealthy: false, detail: "curl failed: \(error)")
        }
    }

    /// `body`'s value, or `nil` when it ran longer than `seconds` (it is cancelled then).
    static func bounded<Value: Sendable>(
        seconds: Double,
        _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value? {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    // MARK: - Rounds

    /// Every check once, in parallel; each result with its attempt number.
    func round(
        _ checks: [HealthCheck],
        on profile: ResolvedProfile,
        attempts: [Int],
        step: DeployStep
    ) async -> [HealthProbe.Outcome] {
        let outcomes = await withTaskGroup(of: (Int, HealthProbe.Outcome).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await attempt(check, on: profile)) }
            }
            var outcomes = [HealthProbe.Outcome?](repeating: nil, count: checks.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map { $0 ?? .init(isHealthy: false, detail: "not run") }
        }
        for (index, outcome) in outcomes.enumerated() {
            let info = DeployEvent.HealthInfo(
                check: checks[index].name,
                attempt: attempts[index],
                isHealthy: outcome.isHealthy,
                detail: Self.shown(outcome.detail, profile: profile)
            )
            events.emit(DeployEvent(health: info, target: profile.ref, step: step))
        }
        return outcomes
    }

    /// `detail` for people: secrets masked, control characters made visible, shortened.
    static func shown(_ detail: String, profile: ResolvedProfile) -> String {
        var text = detail
        for option in profile.settings.sshOpts where option.count > 3 {
            let masked = SSHSecrets.maskedOption(option)
            if masked != option {
                text = text.split(separator: option, omittingEmptySubsequences: false).joined(separator: masked)
            }
        }
        let trimmed = text.trimmingTrailingNewlines
        let visible = DisplayText.visible(trimmed)
        guard visible.count > detailLimit else { return visible }
        return String(visible.prefix(detailLimit - 1)) + "…"
    }

    /// Runs `checks` once each (no retry): `check-health`, and `preDeployChecks` per attempt.
    package func runOnce(_ checks: [HealthCheck], on profile: ResolvedProfile, step: DeployStep = .health) async
        -> [Result]
    {
        let outcomes = await round(checks, on: profile, attempts: Array(repeating: 1, count: checks.count), step: step)
        return zip(checks, outcomes).map { check, outcome in
            Result(
                target: profile.ref.description,
                check: check.name,
                isHealthy: outcome.isHealthy,
                attempts: 1,
                detail: Self.shown(outcome.detail, profile: profile)
            )
        }
    }

    // MARK: - The gate

    /// Retries every check until all pass or `healthTimeout`, then soaks for `healthSoak`.
    ///
    /// - Parameters:
    ///   - extend: pushes the watchdog's deadline to now + the given seconds; returns whether the
    ///     node accepted. `nil` when nothing is pending (no magic rollback). When the node does not
    ///     accept (an activator without `extend`), the checks end before its window does.
    package func gate(
        _ profile: ResolvedProfile,
        checks: [HealthCheck],
        settings: HealthSettings,
        windowEnd: ContinuousClock.Instant?,
        extend: (@Sendable (Int) async -> Bool)?
    ) async throws -> Verdict {
        let clock = ContinuousClock()
        let started = clock.now
        var deadline = started + .seconds(settings.timeout)
        var windowEnd = windowEnd
        let period = checks.map(\.period).min() ?? 1
        let longestAttempt = checks.map(\.timeout).max() ?? 5
        // The watchdog gets enough time for one more round and the confirmation after it.
        let extendBy = Int((longestAttempt + period).rounded(.up)) + max(profile.settings.confirmTimeout, 15)
        var extendedAt: ContinuousClock.Instant?
        var canExtend = extend != nil

        func keepWindowOpen() async {
            guard let extend, canExtend else { return }
            // While the window has time for a few rounds, no call: checks that pass at once cost
            // no extra ssh round trip.
            if let windowEnd, windowEnd - clock.now > .seconds(Double(extendBy) / 2) { return }
            if let extendedAt, clock.now - extendedAt < .seconds(Double(extendBy) / 3) { return }
            if await extend(extendBy) {
                extendedAt = clock.now
                windowEnd = clock.now + .seconds(extendBy)
            } else {
                canExtend = false
            }
        }

        var attempts = [Int](repeating: 0, count: checks.count)
        var passed = [Bool](repeating: false, count: checks.count)
        var last = [HealthProbe.Outcome](repeating: .init(isHealthy: false, detail: "not run"), count: checks.count)
        func result(_ index: Int) -> Result {
            Result(
                target: profile.ref.description,
                check: checks[index].name,
                isHealthy: passed[index],
                attempts: attempts[index],
                detail: Self.shown(last[index].detail, profile: profile)
            )
        }
        func margin(_ end: ContinuousClock.Instant?) -> ContinuousClock.Instant? {
            end.map { $0 - .seconds(longestAttempt + 3) }
        }

        // Phase 1: until every check passed once.
        while true {
            try Task.checkCancellation()
            await keepWindowOpen()
            let open = checks.indices.filter { !passed[$0] }
            for index in open { attempts[index] += 1 }
            let outcomes = await round(
                open.map { checks[$0] },
                on: profile,
                attempts: open.map { attempts[$0] },
                step: .health
            )
            for (position, index) in open.enumerated() {
                last[index] = outcomes[position]
                passed[index] = outcomes[position].isHealthy
            }
            if passed.allSatisfy({ $0 }) { break }
            if !canExtend, let end = margin(windowEnd), end < deadline { deadline = end }
            let now = clock.now
            if now >= deadline {
                let failing = checks.indices.first { !passed[$0] } ?? 0
                return .unhealthy(failing: result(failing), duringSoak: false, results: checks.indices.map(result))
            }
            try await clock.sleep(until: min(now + .seconds(period), deadline))
        }

        // Phase 2: the soak.
        let soakEnd = clock.now + .seconds(settings.soak)
        while clock.now < soakEnd {
            try await clock.sleep(until: min(clock.now + .seconds(period), soakEnd))
            try Task.checkCancellation()
            await keepWindowOpen()
            for index in checks.indices { attempts[index] += 1 }
            let outcomes = await round(checks, on: profile, attempts: attempts, step: .health)
            for index in checks.indices {
                last[index] = outcomes[index]
                passed[index] = outcomes[index].isHealthy
            }
            if let failing = checks.indices.first(where: { !passed[$0] }) {
                return .unhealthy(failing: result(failing), duringSoak: true, results: checks.indices.map(result))
            }
            if !canExtend, let end = margin(windowEnd), clock.now >= end { break }
        }
        return .healthy(checks.indices.map(result))
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self[...]
        while let last = text.last, last.isNewline || last == " " { text = text.dropLast() }
        return String(text)
    }
}
