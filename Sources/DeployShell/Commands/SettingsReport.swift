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
            + SettingKey.allCases.map { key in
                Entry(key: key.rawValue, value: overrides[key.rawValue], default: defaults.renderedValue(of: key))
            }
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
        default: "flake, else " + (entry.default.map { $0.isEmpty ? "none" : $0 } ?? "none")
        }
    }
}
