import DeployKit

/// Turns a deploy-rs command line (`deploy .#web.system --magic-rollback false`) into the
/// shell statements that do the same, so the one-shot form drives the very same engine.
package struct OneShotDeploy: Sendable {
    /// deploy-rs targets; `.` (the default) means every node of the flake in `.`.
    package var targets: [String]
    /// Session overrides from deploy-rs's flags, by setting key (`sshUser`, `confirmTimeout`, ...).
    package var overrides: [(key: String, value: String)]
    package var dryActivate: Bool
    package var boot: Bool
    package var skipChecks: Bool
    package var rollbackSucceeded: Bool

    package init(
        targets: [String],
        overrides: [(key: String, value: String)],
        dryActivate: Bool = false,
        boot: Bool = false,
        skipChecks: Bool = false,
        rollbackSucceeded: Bool = true
    ) {
        self.targets = targets.isEmpty ? ["."] : targets
        self.overrides = overrides
        self.dryActivate = dryActivate
        self.boot = boot
        self.skipChecks = skipChecks
        self.rollbackSucceeded = rollbackSucceeded
    }

    /// The script: `load FLAKE`, `set` per flag, `check` unless skipped, then `deploy TARGETS`.
    ///
    /// - Throws: ``SelectionError`` for a bad target, or when targets name different flakes.
    package func script() throws -> String {
        let patterns = try targets.map { word throws(SelectionError) in try TargetParser.parse(word) }
        let flakes = Set(patterns.map { $0.flake ?? "." })
        guard flakes.count == 1, let flake = flakes.first else {
            throw SelectionError.badTarget(
                targets.joined(separator: " "),
                reason: "the targets name different flakes; deploy one flake at a time"
            )
        }
        var lines = ["load " + RemoteShell.quote(flake)]
        lines += overrides.map { "set \($0.key) " + RemoteShell.quote($0.value) }
        if !skipChecks { lines.append("check") }
        var deploy = ["deploy"]
        if dryActivate { deploy.append("--dry-activate") }
        if boot { deploy.append("--boot") }
        if !rollbackSucceeded { deploy.append("--no-rollback-succeeded") }
        deploy += patterns.map { pattern in
            RemoteShell.quote(
                pattern.profile.map { "\(Self.component(pattern.node)).\(Self.component($0))" }
                    ?? Self.component(pattern.node)
            )
        }
        lines.append(deploy.joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    private static func component(_ name: String) -> String {
        name.contains(".") ? "\"" + name + "\"" : name
    }
}
