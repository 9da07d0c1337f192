/// The settings that apply to one profile after merging every level, with deploy-rs's defaults filled in.
///
/// `sshUser` and `user` stay optional: deploy-rs falls back to the deployer's local user name
/// for both, and that fallback is applied where it is used (`ResolvedProfile`) rather than
/// read from the environment here. `sources` says which level each value came from.
package struct EffectiveSettings: Sendable, Hashable, Codable {
    package var sshUser: String?
    package var user: String?
    package var sshOpts: [String]
    package var fastConnection: Bool
    package var autoRollback: Bool
    package var magicRollback: Bool
    package var confirmTimeout: Int
    package var activationTimeout: Int
    package var tempPath: String
    package var sudo: String
    package var interactiveSudo: Bool
    package var remoteBuild: Bool
    /// The merged health settings (`healthChecks`, `preDeployChecks`, `healthTimeout`, `healthSoak`).
    package var health = HealthSettings()
    /// The level each setting came from; a key that no level sets maps to `.default`.
    package var sources: SettingSources

    /// deploy-rs's defaults, every source `.default`.
    package static let defaults = EffectiveSettings(
        sshUser: nil,
        user: nil,
        sshOpts: [],
        fastConnection: false,
        autoRollback: true,
        magicRollback: true,
        confirmTimeout: 30,
        activationTimeout: 240,
        tempPath: "/tmp",
        sudo: "sudo -u",
        interactiveSudo: false,
        remoteBuild: false,
        sources: SettingSources(Dictionary(uniqueKeysWithValues: SettingKey.genericSettings.map { ($0, .default) }))
    )

    package init(
        sshUser: String?,
        user: String?,
        sshOpts: [String],
        fastConnection: Bool,
        autoRollback: Bool,
        magicRollback: Bool,
        confirmTimeout: Int,
        activationTimeout: Int,
        tempPath: String,
        sudo: String,
        interactiveSudo: Bool,
        remoteBuild: Bool,
        sources: SettingSources
    ) {
        self.sshUser = sshUser
        self.user = user
        self.sshOpts = sshOpts
        self.fastConnection = fastConnection
        self.autoRollback = autoRollback
        self.magicRollback = magicRollback
        self.confirmTimeout = confirmTimeout
        self.activationTimeout = activationTimeout
        self.tempPath = tempPath
        self.sudo = sudo
        self.interactiveSudo = interactiveSudo
        self.remoteBuild = remoteBuild
        self.sources = sources
    }

    /// The level `key` came from (`.default` when unknown).
    package func source(of key: SettingKey) -> SettingLevel {
        sources[key] ?? .default
    }

    /// The value of `key` rendered as text (`sshOpts` joined by spaces), or `nil` for an unset user.
    ///
    /// `hostname` is not part of the settings and yields `nil`.
    package func renderedValue(of key: SettingKey) -> String? {
        switch key {
        case .sshUser: sshUser
        case .user: user
        case .sshOpts: sshOpts.joined(separator: " ")
        case .fastConnection: String(fastConnection)
        case .autoRollback: String(autoRollback)
        case .magicRollback: String(magicRollback)
        case .confirmTimeout: String(confirmTimeout)
        case .activationTimeout: String(activationTimeout)
        case .tempPath: tempPath
        case .sudo: sudo
        case .interactiveSudo: String(interactiveSudo)
        case .remoteBuild: String(remoteBuild)
        case .hostname: nil
        }
    }
}
