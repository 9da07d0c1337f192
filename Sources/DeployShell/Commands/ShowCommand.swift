import ArgumentParser
import DeployKit

/// `show NODE[.PROFILE]`: effective settings, where each came from, and the derived facts.
package struct ShowCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the effective settings of a node or profile and where each comes from.",
        discussion: "Example: show web1.system"
    )

    @Argument(help: "NODE or NODE.PROFILE (deploy-rs target syntax).")
    var target: String

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let config = try session.requireConfig()
        let pattern = try TargetParser.parse(target)
        let refs = try Selector.resolve(
            [TargetPattern(node: pattern.node, profile: pattern.profile, tag: pattern.tag)],
            in: config
        )
        return ShowReport(
            profiles: try refs.map { ref in
                var report = ProfileShowReport(try session.resolve(ref))
                let tags = config.node(named: ref.node)?.tags ?? []
                report.tags = tags.isEmpty ? nil : tags
                let resolved = try session.resolve(ref)
                report.copy = CopyPath(resolved, cache: session.settings.cache)
                return report
            }
        )
    }
}

/// `show` output: one block per profile; JSON is the single profile object when there is one.
package struct ShowReport: Report {
    var profiles: [ProfileShowReport]

    package func encode(to encoder: any Encoder) throws {
        if profiles.count == 1 {
            try profiles[0].encode(to: encoder)
        } else {
            var container = encoder.singleValueContainer()
            try container.encode(["profiles": profiles])
        }
    }

    package func text(style: TextStyle) -> String {
        profiles.map { $0.text(style: style) }.joined(separator: "\n\n")
    }
}

/// The effective settings of one profile, in deploy-rs's JSON spelling.
package struct ProfileShowReport: Encodable, Sendable {
    struct SettingsBody: Encodable {
        var sshUser: String?
        var user: String?
        var sshOpts: [String]
        var fastConnection: Bool
        var autoRollback: Bool
        var magicRollback: Bool
        var confirmTimeout: Int
        var activationTimeout: Int
        var tempPath: String
        var sudo: String
        var interactiveSudo: Bool
        var remoteBuild: Bool
    }
    var node: String
    var profile: String
    var hostname: String
    var settings: SettingsBody
    var sources: [String: String]
    var profilePath: String
    /// For a per-user profile: the path used when `profilePath`'s `per-user` directory does not exist on the target.
    var profilePathFallback: String?
    var sshDestination: String
    var profileUser: String
    var usesSudo: Bool
    /// The node's `tags` (omitted when it has none).
    var tags: [String]?
    /// `healthChecks`, `preDeployChecks`, `healthTimeout` and `healthSoak`, merged (omitted when
    /// the profile has no checks).
    var health: HealthSettings?
    /// How a deploy would copy the closure (direct, or through a binary cache).
    var copy: CopyPath?

    init(_ resolved: ResolvedProfile) {
        let s = resolved.settings
        node = resolved.node
        profile = resolved.profile
        hostname = resolved.hostname
        settings = SettingsBody(
            sshUser: s.sshUser,
            user: s.user,
            sshOpts: SSHSecrets.masked(s.sshOpts),
            fastConnection: s.fastConnection,
            autoRollback: s.autoRollback,
            magicRollback: s.magicRollback,
            confirmTimeout: s.confirmTimeout,
            activationTimeout: s.activationTimeout,
            tempPath: s.tempPath,
            sudo: s.sudo,
            interactiveSudo: s.interactiveSudo,
            remoteBuild: s.remoteBuild
        )
        var sources: [String: String] = [:]
        for key in SettingKey.allCases where key != .hostname {
            sources[key.rawValue] = s.source(of: key).rawValue
        }
        self.sources = sources
        profilePath = resolved.location.displayPath
        profilePathFallback = resolved.location.fallbackPath
        sshDestination = resolved.sshDestination
        profileUser = resolved.profileUser
        usesSudo = resolved.usesSudo
        let hasChecks = !s.health.checks.isEmpty || !s.health.preDeployChecks.isEmpty
        health = hasChecks ? s.health : nil
    }

    func text(style: TextStyle) -> String {
        let s = settings
        let values: [(String, String)] = [
            ("sshUser", s.sshUser ?? "(local user)"), ("user", s.user ?? "(ssh user)"),
            (
                "sshOpts",
                s.sshOpts.isEmpty
                    ? "[]" : SSHSecrets.masked(s.sshOpts).map(RemoteShell.quoteIfNeeded).joined(separator: " ")
            ),
            ("fastConnection", "\(s.fastConnection)"), ("autoRollback", "\(s.autoRollback)"),
            ("magicRollback", "\(s.magicRollback)"), ("confirmTimeout", "\(s.confirmTimeout)"),
            ("activationTimeout", "\(s.activationTimeout)"), ("tempPath", s.tempPath), ("sudo", s.sudo),
            ("interactiveSudo", "\(s.interactiveSudo)"), ("remoteBuild", "\(s.remoteBuild)"),
        ]
        let table = Table(
            header: ["SETTING", "VALUE", "FROM"],
            rows: values.map { [$0.0, $0.1, sources[$0.0] ?? "default"] }
        )
        return [
            style.bold("\(ProfileRef(node: node, profile: profile))")
                + " on \(hostname.isEmpty ? "(no hostname)" : hostname)",
            table.render(style: style),
            "ssh destination: \(sshDestination)",
            "profile user:    \(profileUser)\(usesSudo ? " (via sudo)" : "")",
            "profile path:    " + profilePathText,
        ].joined(separator: "\n") + (copy.map { "\ncopy:            " + $0.text } ?? "") + healthText
    }

    /// Tags, then the health gate: each check, its timing, then the timeout and soak.
    private var healthText: String {
        var lines: [String] = []
        if let tags { lines.append("tags:            " + tags.map { "@" + $0 }.joined(separator: " ")) }
        guard let health else { return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n") }
        func describe(_ check: HealthCheck) -> String {
            let kind: String =
                switch check.kind {
                case .cmd(let words): "cmd " + words.map(RemoteShell.quoteIfNeeded).joined(separator: " ")
                case .http(let url): "http " + url
                case .tcp(let address): "tcp " + address
                }
            let name =
                check.name == HealthCheck.defaultName(of: check.kind) ? "" : DisplayText.quoted(check.name) + ": "
            let period = DecimalText.fixed(check.period, digits: check.period.rounded() == check.period ? 0 : 1)
            let timeout = DecimalText.fixed(check.timeout, digits: check.timeout.rounded() == check.timeout ? 0 : 1)
            return "  " + name + DisplayText.visible(kind) + " (every \(period) s, timeout \(timeout) s)"
        }
        if !health.preDeployChecks.isEmpty {
            lines.append("pre-deploy checks:")
            lines += health.preDeployChecks.map(describe)
        }
        if !health.checks.isEmpty {
            lines.append("health checks (healthTimeout \(health.timeout) s, healthSoak \(health.soak) s):")
            lines += health.checks.map(describe)
        }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")
    }

    /// A per-user profile's path is only known on the target: say which two it can be.
    private var profilePathText: String {
        guard let profilePathFallback else { return profilePath }
        let directory = profilePath.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return "resolved on the target: \(profilePath) if \(directory.joined(separator: "/")) exists, "
            + "else \(profilePathFallback)"
    }
}
