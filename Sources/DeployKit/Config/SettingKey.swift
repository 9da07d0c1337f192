#if canImport(Glibc)
    import Glibc
#endif

/// The name of one deploy-rs setting, spelled as in the flake and as typed after `set`.
///
/// The generic settings may appear at the top of `deploy`, in a node or in a profile;
/// `hostname` is listed last because it can only be overridden for a session (in the
/// flake it belongs to a node, not to the generic settings).
package enum SettingKey: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case sshUser
    case user
    case sshOpts
    case fastConnection
    case autoRollback
    case magicRollback
    case confirmTimeout
    case activationTimeout
    case tempPath
    case sudo
    case interactiveSudo
    case remoteBuild
    case hostname

    /// The setting spelled exactly `name`, byte for byte (as Nix compares attribute names).
    ///
    /// Faster than `init(rawValue:)`, which compares `name` with every case in turn: `load`
    /// looks up every attribute of every node and profile.
    ///
    /// It reads no shared table: `load` runs it on several threads at once, and a shared array's
    /// reference count, touched by all of them, would serialize them.
    package init?(exactly name: String) {
        var name = name
        let key: SettingKey? = name.withUTF8 { bytes in
            func match(_ spelling: StaticString, _ key: SettingKey) -> SettingKey? {
                guard let base = bytes.baseAddress else { return nil }
                return memcmp(base, spelling.utf8Start, spelling.utf8CodeUnitCount) == 0 ? key : nil
            }
            switch bytes.count {
            case 4: return match("user", .user) ?? match("sudo", .sudo)
            case 7: return match("sshUser", .sshUser) ?? match("sshOpts", .sshOpts)
            case 8: return match("tempPath", .tempPath) ?? match("hostname", .hostname)
            case 11: return match("remoteBuild", .remoteBuild)
            case 12: return match("autoRollback", .autoRollback)
            case 13: return match("magicRollback", .magicRollback)
            case 14: return match("fastConnection", .fastConnection) ?? match("confirmTimeout", .confirmTimeout)
            case 15: return match("interactiveSudo", .interactiveSudo)
            case 17: return match("activationTimeout", .activationTimeout)
            default: return nil
            }
        }
        guard let key else { return nil }
        self = key
    }

    /// The settings deploy-rs accepts at every level (all keys except `hostname`).
    package static var genericSettings: [SettingKey] {
        allCases.filter { $0 != .hostname }
    }

    /// The type a value must have: "string", "boolean", "integer" or "list of strings".
    package var expectedType: String {
        switch self {
        case .sshUser, .user, .tempPath, .sudo, .hostname: "string"
        case .fastConnection, .autoRollback, .magicRollback, .interactiveSudo, .remoteBuild: "boolean"
        case .confirmTimeout, .activationTimeout: "integer"
        case .sshOpts: "list of strings"
        }
    }

    /// `expectedType` as a phrase for messages: "a string", "a boolean (true or false)",
    /// "an integer" or "a list of strings".
    package var expectedTypeDescription: String {
        switch expectedType {
        case "boolean": "a boolean (true or false)"
        case "integer": "an integer"
        default: "a \(expectedType)"
        }
    }

    /// A value that `set` would accept, shown in hints.
    package var exampleValue: String {
        switch self {
        case .sshUser, .user: "deploy"
        case .sshOpts: "-p 2222"
        case .confirmTimeout: "30"
        case .activationTimeout: "240"
        case .tempPath: "/tmp"
        case .sudo: "doas -u"
        case .hostname: "web1.example.com"
        case .fastConnection, .autoRollback, .magicRollback, .interactiveSudo, .remoteBuild: "true"
        }
    }
}
