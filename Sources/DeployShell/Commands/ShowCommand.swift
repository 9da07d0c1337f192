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
        if let profile = pattern.profile {
            let refs = try Selector.resolve([TargetPattern(node: pattern.node, profile: profile)], in: config)
            return ShowReport(profiles: try refs.map { ProfileShowReport(try session.resolve($0)) })
        }
        let refs = try Selector.resolve([TargetPattern(node: pattern.node)], in: config)
        return ShowReport(profiles: try refs.map { ProfileShowReport(try session.resolve($0)) })
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
    /// For another user's profile: where it lives when `per-user/USER` does not exist on the
    /// target (deploy-rs's rule, resolved there at deploy time).
    var profilePathFallback: String?
    var sshDestination: String
    var profileUser: String
    var usesSudo: Bool

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
            "profile path:    \(profilePath)",
        ]
        .joined(separator: "\n") + fallbackNote
    }

    /// The per-user rule, said in full: which path applies is only known on the target.
    private var fallbackNote: String {
        guard let profilePathFallback else { return "" }
        let directory = profilePath[..<(profilePath.lastIndex(of: "/") ?? profilePath.endIndex)]
        return
            "\n                 (resolved on the target: \(profilePathFallback) when \(directory) does not exist there)"
    }
}
