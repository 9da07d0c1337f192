/// deploy-rs's generic settings as written at one level (`deploy`, a node or a profile).
///
/// Every field is optional: `nil` means "this level does not say", so the levels can be
/// merged (see `SettingsMerge`). Values of the wrong type are dropped here and reported
/// by `SchemaChecker` instead, so a typo never stops `nodes` from working.
package struct Settings: Sendable, Hashable, Codable {
    package var sshUser: String?
    package var user: String?
    package var sshOpts: [String]?
    package var fastConnection: Bool?
    package var autoRollback: Bool?
    package var magicRollback: Bool?
    package var confirmTimeout: Int?
    package var activationTimeout: Int?
    package var tempPath: String?
    package var sudo: String?
    package var interactiveSudo: Bool?
    package var remoteBuild: Bool?
    /// `healthChecks`: checks that must pass after activation (a list replaces a lower level's).
    package var healthChecks: [HealthCheck]?
    /// `preDeployChecks`: checks that must pass before anything on the node changes.
    package var preDeployChecks: [HealthCheck]?
    /// `healthTimeout`: seconds every check has to pass after activation.
    package var healthTimeout: Int?
    /// `healthSoak`: seconds every check must then keep passing.
    package var healthSoak: Int?

    /// The health attributes, which are deploysh's own (deploy-rs ignores them).
    package static let healthAttributes = ["healthChecks", "preDeployChecks", "healthTimeout", "healthSoak"]

    package init(
        sshUser: String? = nil,
        user: String? = nil,
        sshOpts: [String]? = nil,
        fastConnection: Bool? = nil,
        autoRollback: Bool? = nil,
        magicRollback: Bool? = nil,
        confirmTimeout: Int? = nil,
        activationTimeout: Int? = nil,
        tempPath: String? = nil,
        sudo: String? = nil,
        interactiveSudo: Bool? = nil,
        remoteBuild: Bool? = nil,
        healthChecks: [HealthCheck]? = nil,
        preDeployChecks: [HealthCheck]? = nil,
        healthTimeout: Int? = nil,
        healthSoak: Int? = nil
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
        self.healthChecks = healthChecks
        self.preDeployChecks = preDeployChecks
        self.healthTimeout = healthTimeout
        self.healthSoak = healthSoak
    }

    /// Reads the generic settings from the attributes of one level, keeping only well-typed values.
    ///
    /// Integers must be whole and not negative. Other attributes (`hostname`, `profiles`, …)
    /// are ignored.
    package init(json: JSONObject) {
        self.init()
        // One walk over the (few) attributes rather than a lookup per setting: `load` reads
        // every node and profile of the flake this way.
        for (key, value) in json {
            guard let setting = SettingKey(exactly: key) else {
                if key.utf8.count >= 10, key.hasPrefix("health") || key.hasPrefix("preDeploy") {
                    readHealth(key, value)
                }
                continue
            }
            var count: Int? { value.intValue.flatMap { $0 >= 0 ? $0 : nil } }
            switch setting {
            case .sshUser: sshUser = value.stringValue
            case .user: user = value.stringValue
            case .sshOpts: sshOpts = value.stringArrayValue
            case .fastConnection: fastConnection = value.boolValue
            case .autoRollback: autoRollback = value.boolValue
            case .magicRollback: magicRollback = value.boolValue
            case .confirmTimeout: confirmTimeout = count
            case .activationTimeout: activationTimeout = count
            case .tempPath: tempPath = value.stringValue
            case .sudo: sudo = value.stringValue
            case .interactiveSudo: interactiveSudo = value.boolValue
            case .remoteBuild: remoteBuild = value.boolValue
            case .hostname: break
            }
        }
    }

    private mutating func readHealth(_ key: String, _ value: JSONValue) {
        switch key {
        case "healthChecks": healthChecks = HealthCheck.list(from: value)
        case "preDeployChecks": preDeployChecks = HealthCheck.list(from: value)
        case "healthTimeout": healthTimeout = value.intValue.flatMap { $0 >= 0 ? $0 : nil }
        case "healthSoak": healthSoak = value.intValue.flatMap { $0 >= 0 ? $0 : nil }
        default: break
        }
    }

    /// Whether no setting is given at this level.
    package var isEmpty: Bool { self == Settings() }

    /// The value of `key` rendered as text (`sshOpts` joined by spaces), or `nil` when unset.
    ///
    /// `hostname` is not a generic setting and always yields `nil`.
    package func renderedValue(of key: SettingKey) -> String? {
        switch key {
        case .sshUser: sshUser
        case .user: user
        case .sshOpts: sshOpts?.joined(separator: " ")
        case .fastConnection: fastConnection.map(String.init)
        case .autoRollback: autoRollback.map(String.init)
        case .magicRollback: magicRollback.map(String.init)
        case .confirmTimeout: confirmTimeout.map(String.init)
        case .activationTimeout: activationTimeout.map(String.init)
        case .tempPath: tempPath
        case .sudo: sudo
        case .interactiveSudo: interactiveSudo.map(String.init)
        case .remoteBuild: remoteBuild.map(String.init)
        case .hostname: nil
        }
    }
}
