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
