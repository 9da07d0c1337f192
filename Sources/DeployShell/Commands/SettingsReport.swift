import DeployKit

/// What `set` with no arguments shows: every setting, its session value or what applies without one.
///
/// A setting not set for the session comes from the flake (node, profile, top level) or, where the
/// flake is silent, from deploy-rs's default; `show TARGET` tells which for one target.
/// JSON: `{"overrides":{KEY:VALUE},"settings":[{"key","value","default"}]}`, where `value` is
/// present only when the session sets it.
package struct SettingsReport: Report {
    struct Entry: Encodable {
        var key: String
        var value: String?
        var `default`: String?
    }

    var overrides: [String: String]
    var settings: [Entry]

    @MainActor
    init(_ session: Session) {
        let overrides = OverridesReport(session.settings.overrides).overrides
        self.overrides = overrides
        let defaults = EffectiveSettings.defaults
        settings =
            [
                Entry(
                    key: SessionSetting.jobs.rawValue,
                    value: session.settings.jobs.map(String.init),
                    default: "\(DeployOptions.defaultJobs)"
                ),
                Entry(key: SessionSetting.logDir.rawValue, value: session.settings.logDirectory, default: nil),
                Entry(
                    key: SessionSetting.showOutput.rawValue,
                    value: session.settings.showsAllOutput ? "full" : nil,
                    default: "tail"
                ),
            ]
            + Self.sessionEntries(session.settings)
            + SettingKey.allCases.map { key in
                Entry(key: key.rawValue, value: overrides[key.rawValue], default: defaults.renderedValue(of: key))
            }
    }

    /// What applies to each shell setting besides jobs and logDir when the session sets none.
    static let sessionFallback: [String: String] = [
        SessionSetting.batches.rawValue: "the flake's rollout, else one batch",
        SessionSetting.maxFailures.rawValue: "the flake's rollout, else 0",
        SessionSetting.onFailure.rawValue: "the flake's rollout, else rollback-all",
        SessionSetting.healthChecks.rawValue: "on",
        SessionSetting.pushTo.rawValue: "the flake's binaryCache, else direct copies",
        SessionSetting.pullFrom.rawValue: "the flake's binaryCache, else pushTo",
        SessionSetting.cacheKey.rawValue: "deploysh's own key (made on first use)",
        SessionSetting.cacheFallback.rawValue: "on",
        SessionSetting.builders.rawValue: "nix.conf's builders",
        SessionSetting.maxJobs.rawValue: "nix.conf's max-jobs",
    ]

    /// The shell's own settings after jobs and logDir, with their session values.
    private static func sessionEntries(_ settings: DeploySettings) -> [Entry] {
        let rollout = settings.rollout
        let values: [(SessionSetting, String?)] = [
            (.batches, rollout.batches.map { $0.map(\.description).joined(separator: ",") }),
            (.maxFailures, rollout.maxFailures.map(\.description)),
            (.onFailure, rollout.onFailure?.rawValue),
            (.healthChecks, settings.runsHealthChecks ? nil : "off"),
            (.pushTo, settings.cache.cache.pushTo),
            (.pullFrom, settings.cache.cache.pullFrom),
            (.cacheKey, settings.cache.keyFile),
            (.cacheFallback, settings.cache.fallback.map { $0 ? "on" : "off" }),
            (.builders, settings.nixOptions.builders),
            (.maxJobs, settings.nixOptions.maxJobs.map(String.init)),
        ]
        return values.map { Entry(key: $0.0.rawValue, value: $0.1, default: nil) }
    }

    package func text(style: TextStyle) -> String {
        let rows = settings.map { entry in
            [entry.key, entry.value ?? "-", entry.value == nil ? Self.fallback(of: entry) : "set"]
        }
        return Table(header: ["SETTING", "VALUE", "WITHOUT A VALUE"], rows: rows).render(style: style)
    }

    /// What applies to a setting the session does not set.
    private static func fallback(of entry: Entry) -> String {
        switch entry.key {
        case SessionSetting.jobs.rawValue: "default \(entry.default ?? "")"
        case SessionSetting.logDir.rawValue: "no logs"
        case SessionSetting.showOutput.rawValue: "tail (the last 5 lines)"
        case SettingKey.sshUser.rawValue, SettingKey.user.rawValue: "flake, else the local user"
        case SettingKey.hostname.rawValue: "flake"
        case let key where sessionFallback[key] != nil: sessionFallback[key] ?? ""
        default: "flake, else " + (entry.default.map { $0.isEmpty ? "none" : $0 } ?? "none")
        }
    }
}
