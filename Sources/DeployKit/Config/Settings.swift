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
        remoteBuild: Bool? = nil
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
            guard let setting = SettingKey(exactly: key) else { continue }
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
