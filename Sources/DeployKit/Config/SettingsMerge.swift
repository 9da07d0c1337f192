/// Merges the settings of every level into the effective settings of one profile, as deploy-rs does.
///
/// Precedence is deploy < node < profile < session override: the highest level that sets a
/// value wins. The exception is `sshOpts`, which deploy-rs concatenates (its `merge::vec::append`
/// strategy): profile options, then node options, then deploy options. A session override of
/// `sshOpts` *replaces* that list, like deploy-rs's `--ssh-opts` flag. The source recorded for a
/// concatenated `sshOpts` is the highest level that contributed to it.
package enum SettingsMerge {
    /// The effective settings for a profile.
    ///
    /// - Parameters:
    ///   - deploy: the settings at the top of `deploy`.
    ///   - node: the node's settings.
    ///   - profile: the profile's settings.
    ///   - overrides: the session overrides (`set`, command-line flags).
    package static func merge(
        deploy: Settings,
        node: Settings,
        profile: Settings,
        overrides: Settings = Settings()
    ) -> EffectiveSettings {
        let levels: [(SettingLevel, Settings)] = [
            (.override, overrides), (.profile, profile), (.node, node), (.deploy, deploy),
        ]
        var sources = EffectiveSettings.defaults.sources

        // A closure, not a KeyPath: key-path projection costs ~100 ns, and `plan` of a fleet merges
        // thousands of profiles.
        func pick<Value>(_ key: SettingKey, _ field: (Settings) -> Value?) -> Value? {
            for (level, settings) in levels {
                if let value = field(settings) {
                    sources[key] = level
                    return value
                }
            }
            return nil
        }

        var result = EffectiveSettings.defaults

        result.sshUser = pick(.sshUser) { $0.sshUser }
        result.user = pick(.user) { $0.user }
        result.fastConnection = pick(.fastConnection) { $0.fastConnection } ?? result.fastConnection
        result.autoRollback = pick(.autoRollback) { $0.autoRollback } ?? result.autoRollback
        result.magicRollback = pick(.magicRollback) { $0.magicRollback } ?? result.magicRollback
        result.confirmTimeout = pick(.confirmTimeout) { $0.confirmTimeout } ?? result.confirmTimeout
        result.activationTimeout = pick(.activationTimeout) { $0.activationTimeout } ?? result.activationTimeout
        result.tempPath = pick(.tempPath) { $0.tempPath } ?? result.tempPath
        result.sudo = pick(.sudo) { $0.sudo } ?? result.sudo
        result.interactiveSudo = pick(.interactiveSudo) { $0.interactiveSudo } ?? result.interactiveSudo
        result.remoteBuild = pick(.remoteBuild) { $0.remoteBuild } ?? result.remoteBuild

        if let replaced = overrides.sshOpts {
            result.sshOpts = replaced
            sources[.sshOpts] = .override
        } else {
            let contributing = levels.dropFirst().filter { !($0.1.sshOpts ?? []).isEmpty }
            result.sshOpts = contributing.flatMap { $0.1.sshOpts ?? [] }
            sources[.sshOpts] = contributing.first?.0 ?? .default
        }
        // Health attributes: the highest level wins, and a list replaces (it does not concatenate).
        let ordered = [overrides, profile, node, deploy]
        result.health = HealthSettings(
            checks: ordered.lazy.compactMap(\.healthChecks).first ?? [],
            preDeployChecks: ordered.lazy.compactMap(\.preDeployChecks).first ?? [],
            timeout: ordered.lazy.compactMap(\.healthTimeout).first ?? HealthSettings.defaultTimeout,
            soak: ordered.lazy.compactMap(\.healthSoak).first ?? 0
        )
        result.sources = sources
        return result
    }
}
