import ArgumentParser
import DeployKit

/// `set KEY VALUE` / `set`: session overrides, the highest level of deploy-rs's precedence.
package struct SetCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Override a setting for this session (or list every setting).",
        discussion: "Example: set confirmTimeout 60; set sshOpts '-p 2222'"
    )

    @Argument(help: "A setting name (jobs, logDir, showOutput, sshUser, user, sshOpts, ..., hostname).")
    var key: String?

    @Argument(parsing: .allUnrecognized, help: "The value; several words are joined with spaces.")
    var value: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        guard let key else { return SettingsReport(session) }
        // `.allUnrecognized` keeps a value such as `-p 2222` (sshOpts start with a dash), and also
        // keeps a `--` that people write to end options; that one is not part of the value.
        let words = value.first == "--" ? Array(value.dropFirst()) : value
        guard !words.isEmpty else {
            throw SessionError.badArguments(command: "set", message: "missing a value for '\(key)'")
        }
        if let report = try Self.setSessionValue(key, words, in: session) { return report }
        let settingKey = try SessionOverrides.settingKey(named: key)
        if settingKey == .sshOpts, words.count > 1 {
            // Several words are the options exactly as quoted: `-o 'ServerAliveInterval 5'`.
            session.updateSettings { $0.overrides.settings.sshOpts = words }
        } else {
            // One word is split on blanks: `set sshOpts '-p 2222'`.
            try session.updateSettings { try $0.overrides.set(key, words.joined(separator: " ")) }
        }
        var report = OverridesReport(session.settings.overrides)
        report.shownKey = settingKey.rawValue
        return report
    }
}

extension SetCommand {
    /// A shell switch's value: `on`/`true` or `off`/`false`.
    static func onOff(_ value: String, key: String) throws -> Bool {
        switch value {
        case "on", "true": return true
        case "off", "false": return false
        default: throw SessionError.badArguments(command: "set", message: "\(key) takes on or off")
        }
    }

    /// `set jobs N`, `set logDir DIR`, `set showOutput full`, ...: settings of the shell itself, not of deploy-rs.
    @MainActor
    static func setSessionValue(_ key: String, _ words: [String], in session: Session) throws -> (any Report)? {
        switch SessionSetting(rawValue: key) {
        case .jobs:
            guard words.count == 1, let jobs = Int(words[0]), jobs >= 1 else {
                throw SessionError.badArguments(command: "set", message: "jobs must be a whole number of at least 1")
            }
            session.updateSettings { $0.jobs = jobs }
            return MessageReport("jobs = \(jobs)")
        case .logDir:
            session.updateSettings { $0.logDirectory = words.joined(separator: " ") }
            return MessageReport("logDir = \(words.joined(separator: " "))")
        case .batches, .maxFailures, .onFailure:
            let text = words.joined()
            let overrides: Rollout.Overrides
            do throws(RolloutError) {
                switch key {
                case "batches": overrides = .init(batches: try Rollout.parseBatches(text, option: key))
                case "maxFailures": overrides = .init(maxFailures: try Rollout.parseBudget(text, option: key))
                default: overrides = .init(onFailure: try Rollout.parseOnFailure(text, option: key))
                }
            } catch {
                throw SessionError.badArguments(command: "set", message: error.message)
            }
            session.updateSettings { $0.rollout = $0.rollout.overlaid(by: overrides) }
            return MessageReport("\(key) = \(text)")
        case .healthChecks:
            let isOn = try onOff(words.count == 1 ? words[0] : "", key: key)
            session.updateSettings { $0.runsHealthChecks = isOn }
            return MessageReport("healthChecks = \(isOn ? "on" : "off")")
        case .pushTo, .pullFrom, .cacheKey, .cacheFallback, .builders, .maxJobs:
            return try setCacheValue(key, words.joined(separator: " "), in: session)
        case .showOutput:
            guard words.count == 1, ["full", "tail"].contains(words[0]) else {
                throw SessionError.badArguments(command: "set", message: "showOutput takes full or tail")
            }
            session.updateSettings { $0.showsAllOutput = words[0] == "full" }
            return MessageReport("showOutput = \(words[0])")
        case nil:
            return nil
        }
    }
}

/// `unset KEY`: drops a session override.
package struct UnsetCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "unset",
        abstract: "Remove a session override.",
        discussion: "Example: unset confirmTimeout"
    )

    @Argument(help: "The setting to stop overriding.")
    var key: String

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        switch SessionSetting(rawValue: key) {
        case .jobs:
            session.updateSettings { $0.jobs = nil }
            return MessageReport("jobs = default (\(DeployOptions.defaultJobs))")
        case .logDir:
            session.updateSettings { $0.logDirectory = nil }
            return MessageReport("logDir = none (no logs)")
        case .batches:
            session.updateSettings { $0.rollout.batches = nil }
            return MessageReport("batches = the flake's rollout, else none (one batch)")
        case .maxFailures:
            session.updateSettings { $0.rollout.maxFailures = nil }
            return MessageReport("maxFailures = the flake's rollout, else 0")
        case .onFailure:
            session.updateSettings { $0.rollout.onFailure = nil }
            return MessageReport("onFailure = the flake's rollout, else rollback-all")
        case .healthChecks:
            session.updateSettings { $0.runsHealthChecks = true }
            return MessageReport("healthChecks = on")
        case .pushTo, .pullFrom, .cacheKey, .cacheFallback, .builders, .maxJobs:
            return SetCommand.unsetCacheValue(key, in: session)
        case .showOutput:
            session.updateSettings { $0.showsAllOutput = false }
            return MessageReport("showOutput = tail (the last 5 lines)")
        case nil:
            try session.updateSettings { try $0.overrides.unset(key) }
            return OverridesReport(session.settings.overrides)
        }
    }
}

/// The current overrides: `{"overrides":{KEY:VALUE}}`.
package struct OverridesReport: Report {
    var overrides: [String: String]
    /// In text, show only this key (after `set KEY VALUE`); JSON always has every override.
    var shownKey: String?

    enum CodingKeys: String, CodingKey { case overrides }

    init(_ overrides: SessionOverrides) {
        var values: [String: String] = [:]
        for (key, value) in overrides.entries { values[key.rawValue] = value }
        // sshOpts can carry secrets (`-o SetEnv=TOKEN=...`): shown masked, never echoed.
        if let options = overrides.settings.sshOpts {
            values[SettingKey.sshOpts.rawValue] = SSHSecrets.masked(options).joined(separator: " ")
        }
        self.overrides = values
    }

    package func text(style: TextStyle) -> String {
        if let shownKey { return "\(shownKey) = \(overrides[shownKey] ?? "")" }
        if overrides.isEmpty { return "no overrides" }
        return overrides.keys.sorted().map { "\($0) = \(overrides[$0] ?? "")" }.joined(separator: "\n")
    }
}
