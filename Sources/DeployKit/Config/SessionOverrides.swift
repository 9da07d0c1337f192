/// Settings a person sets for the session (`set KEY VALUE`, or command-line flags), above every flake level.
///
/// Values arrive as text and are parsed by the key's type:
/// - strings are taken as they are, but must not be empty;
/// - booleans accept `true`/`false`, `yes`/`no`, `on`/`off` and `1`/`0`, in any case;
/// - integers are whole numbers `>= 0` written in decimal digits;
/// - `sshOpts` is split on blanks (spaces and tabs), with no quoting: `-p 2222 -o Foo=bar`.
///   An override of `sshOpts` replaces the options from the flake rather than adding to them.
package struct SessionOverrides: Sendable, Hashable {
    /// The overridden generic settings.
    package var settings: Settings
    /// The overridden hostname, which applies to every target.
    package var hostname: String?

    package init(settings: Settings = Settings(), hostname: String? = nil) {
        self.settings = settings
        self.hostname = hostname
    }

    /// Overrides the setting named `key` with `value`, parsed by the key's type.
    ///
    /// - Throws: `SettingError.unknownKey` for a name that is not a setting (with the nearest
    ///   names), `SettingError.badValue` for a value that does not parse.
    package mutating func set(_ key: String, _ value: String) throws(SettingError) {
        let settingKey = try Self.settingKey(named: key)
        switch settingKey {
        case .sshUser:
            settings.sshUser = try Self.parseName(try Self.parseDestination(value, for: settingKey), for: settingKey)
        case .user: settings.user = try Self.parseName(value, for: settingKey)
        case .sshOpts: settings.sshOpts = Self.parseWords(value)
        case .fastConnection: settings.fastConnection = try Self.parseBool(value, for: settingKey)
        case .autoRollback: settings.autoRollback = try Self.parseBool(value, for: settingKey)
        case .magicRollback: settings.magicRollback = try Self.parseBool(value, for: settingKey)
        case .confirmTimeout: settings.confirmTimeout = try Self.parseInt(value, for: settingKey)
        case .activationTimeout: settings.activationTimeout = try Self.parseInt(value, for: settingKey)
        case .tempPath: settings.tempPath = try Self.parseString(value, for: settingKey)
        case .sudo: settings.sudo = try Self.parseString(value, for: settingKey)
        case .interactiveSudo: settings.interactiveSudo = try Self.parseBool(value, for: settingKey)
        case .remoteBuild: settings.remoteBuild = try Self.parseBool(value, for: settingKey)
        case .hostname: hostname = try Self.parseDestination(value, for: settingKey)
        }
    }

    /// Removes the override of the setting named `key`, if any.
    ///
    /// - Throws: `SettingError.unknownKey` for a name that is not a setting.
    package mutating func unset(_ key: String) throws(SettingError) {
        switch try Self.settingKey(named: key) {
        case .sshUser: settings.sshUser = nil
        case .user: settings.user = nil
        case .sshOpts: settings.sshOpts = nil
        case .fastConnection: settings.fastConnection = nil
        case .autoRollback: settings.autoRollback = nil
        case .magicRollback: settings.magicRollback = nil
        case .confirmTimeout: settings.confirmTimeout = nil
        case .activationTimeout: settings.activationTimeout = nil
        case .tempPath: settings.tempPath = nil
        case .sudo: settings.sudo = nil
        case .interactiveSudo: settings.interactiveSudo = nil
        case .remoteBuild: settings.remoteBuild = nil
        case .hostname: hostname = nil
        }
    }

    /// The overrides in `SettingKey` order, each value rendered as text (`sshOpts` joined by spaces).
    package var entries: [(SettingKey, String)] {
        SettingKey.allCases.compactMap { key in
            let value = key == .hostname ? hostname : settings.renderedValue(of: key)
            return value.map { (key, $0) }
        }
    }

    /// Whether nothing is overridden.
    package var isEmpty: Bool { settings.isEmpty && hostname == nil }

    // MARK: Parsing

    /// The key spelled exactly `name`.
    ///
    /// - Throws: `SettingError.unknownKey` with the nearest setting names.
    package static func settingKey(named name: String) throws(SettingError) -> SettingKey {
        if let key = SettingKey(rawValue: name) { return key }
        let names = SettingKey.allCases.map(\.rawValue)
        throw .unknownKey(name, suggestions: NameSuggestions.nearest(to: name, in: names))
    }

    private static func parseString(_ value: String, for key: SettingKey) throws(SettingError) -> String {
        guard !value.isEmpty else { throw .badValue(key: key, value: value) }
        return value
    }

    /// A host or ssh user: refused when ssh could read it as an option (see `SSHDestination`).
    private static func parseDestination(_ value: String, for key: SettingKey) throws(SettingError) -> String {
        let value = try parseString(value, for: key)
        if let problem = SSHDestination.problem(with: value) {
            throw .unsafeValue(key: key, value: value, problem: problem)
        }
        return value
    }

    /// A profile user: refused when it would escape the profiles directory (see `TargetPathRules`).
    private static func parseName(_ value: String, for key: SettingKey) throws(SettingError) -> String {
        let value = try parseString(value, for: key)
        if let problem = TargetPathRules.nameProblem(value) {
            throw .unsafeValue(key: key, value: value, problem: problem)
        }
        return value
    }

    private static func parseBool(_ value: String, for key: SettingKey) throws(SettingError) -> Bool {
        switch value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw .badValue(key: key, value: value)
        }
    }

    private static func parseInt(_ value: String, for key: SettingKey) throws(SettingError) -> Int {
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(value) else {
            throw .badValue(key: key, value: value)
        }
        return number
    }

    private static func parseWords(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
}
