import DeployKit

extension SetCommand {
    /// `set pushTo|pullFrom|cacheKey|cacheFallback|builders|maxJobs VALUE`: the binary cache and
    /// the local build's builders of every deploy in the session.
    @MainActor
    static func setCacheValue(_ key: String, _ value: String, in session: Session) throws -> any Report {
        do {
            switch SessionSetting(rawValue: key) {
            case .pushTo:
                let url = try CacheOptions.checkedURL(value, setting: key)
                session.updateSettings { $0.cache.cache.pushTo = url }
            case .pullFrom:
                let url = try CacheOptions.checkedURL(value, setting: key)
                session.updateSettings { $0.cache.cache.pullFrom = url }
            case .cacheKey:
                _ = try CacheKey.readSecretKey(at: value)
                session.updateSettings { $0.cache.keyFile = value }
            case .cacheFallback:
                let isOn = try onOff(value, key: key)
                session.updateSettings { $0.cache.fallback = isOn }
            case .builders:
                session.updateSettings { $0.nixOptions.builders = value }
            case .maxJobs:
                guard let jobs = Int(value), jobs >= 0, value.allSatisfy(\.isASCII) else {
                    throw SessionError.badArguments(
                        command: "set",
                        message: "maxJobs must be a whole number (0 or more)"
                    )
                }
                session.updateSettings { $0.nixOptions.maxJobs = jobs }
            default:
                throw SessionError.badArguments(command: "set", message: "unknown setting '\(key)'")
            }
        } catch let error as CacheError {
            throw SessionError.badArguments(command: "set", message: error.message)
        }
        return MessageReport("\(key) = \(value)")
    }

    /// `unset` of a cache or builder setting.
    @MainActor
    static func unsetCacheValue(_ key: String, in session: Session) -> any Report {
        switch SessionSetting(rawValue: key) {
        case .pushTo: session.updateSettings { $0.cache.cache.pushTo = nil }
        case .pullFrom: session.updateSettings { $0.cache.cache.pullFrom = nil }
        case .cacheKey: session.updateSettings { $0.cache.keyFile = nil }
        case .cacheFallback: session.updateSettings { $0.cache.fallback = nil }
        case .builders: session.updateSettings { $0.nixOptions.builders = nil }
        case .maxJobs: session.updateSettings { $0.nixOptions.maxJobs = nil }
        default: break
        }
        return MessageReport("\(key) = " + (SettingsReport.sessionFallback[key] ?? "none"))
    }
}
