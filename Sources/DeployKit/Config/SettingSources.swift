/// The level each setting of one profile came from, packed into one integer.
///
/// Every resolved profile carries one, and `plan` of a fleet resolves thousands: a dictionary
/// per profile would cost an allocation and a dozen hashes each. Reads and writes like a
/// `[SettingKey: SettingLevel]` (`nil` for a key no one has set), and encodes as that
/// dictionary's JSON object.
package struct SettingSources: Sendable, Hashable, Codable {
    /// Three bits per key, in `SettingKey` order: 0 for unset, else a `SettingLevel` code.
    private var packed: UInt64 = 0

    package init() {}

    package init(_ entries: [SettingKey: SettingLevel]) {
        for (key, level) in entries { self[key] = level }
    }

    package subscript(key: SettingKey) -> SettingLevel? {
        get {
            switch (packed >> Self.shift(key)) & 0b111 {
            case 1: .deploy
            case 2: .node
            case 3: .profile
            case 4: .override
            case 5: .default
            default: nil
            }
        }
        set {
            let code = UInt64(newValue.map(Self.code) ?? 0)
            packed = (packed & ~(0b111 << Self.shift(key))) | (code << Self.shift(key))
        }
    }

    private static func code(_ level: SettingLevel) -> Int {
        switch level {
        case .deploy: 1
        case .node: 2
        case .profile: 3
        case .override: 4
        case .default: 5
        }
    }

    private static func shift(_ key: SettingKey) -> UInt64 {
        let index: UInt64 =
            switch key {
            case .sshUser: 0
            case .user: 1
            case .sshOpts: 2
            case .fastConnection: 3
            case .autoRollback: 4
            case .magicRollback: 5
            case .confirmTimeout: 6
            case .activationTimeout: 7
            case .tempPath: 8
            case .sudo: 9
            case .interactiveSudo: 10
            case .remoteBuild: 11
            case .hostname: 12
            }
        return index * 3
    }

    package init(from decoder: any Decoder) throws {
        self.init(try [SettingKey: SettingLevel](from: decoder))
    }

    package func encode(to encoder: any Encoder) throws {
        var entries: [SettingKey: SettingLevel] = [:]
        for key in SettingKey.allCases { entries[key] = self[key] }
        try entries.encode(to: encoder)
    }
}
