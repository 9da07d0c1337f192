/// One host of the `deploy` output: where it is, its settings, and its profiles in deploy order.
///
/// `profiles` is already in the order deploy-rs deploys them: the names listed in
/// `profilesOrder` first (those that exist, each once), then the others sorted by name.
package struct Node: Sendable, Hashable, Codable {
    package var name: String
    package var hostname: String?
    package var settings: Settings
    /// `profilesOrder` as written (only its string entries).
    package var profilesOrder: [String]
    /// The profiles in deploy order.
    package var profiles: [Profile]

    package init(
        name: String,
        hostname: String? = nil,
        settings: Settings = Settings(),
        profilesOrder: [String] = [],
        profiles: [Profile] = []
    ) {
        self.name = name
        self.hostname = hostname
        self.settings = settings
        self.profilesOrder = profilesOrder
        self.profiles = Self.deployOrder(profiles, order: profilesOrder)
    }

    /// Reads a node from its attributes; profiles that are not attribute sets are skipped.
    package init(name: String, json: JSONObject) {
        let order = json["profilesOrder"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let profiles = (json["profiles"]?.objectValue ?? [:]).compactMap { name, value in
            value.objectValue.map { Profile(name: name, json: $0) }
        }
        self.init(
            name: name,
            hostname: json["hostname"]?.stringValue,
            settings: Settings(json: json),
            profilesOrder: order,
            profiles: profiles
        )
    }

    /// The profile called `name`, if the node has one.
    package func profile(named name: String) -> Profile? {
        profiles.first { ExactName.same($0.name, name) }
    }

    /// The profile names in deploy order.
    package var profileNames: [String] { profiles.map(\.name) }

    /// Puts profiles in deploy order: `order`'s names first (existing ones, once), then the rest by name.
    package static func deployOrder(_ profiles: [Profile], order: [String]) -> [Profile] {
        var remaining = Dictionary(profiles.map { (ExactName($0.name), $0) }, uniquingKeysWith: { first, _ in first })
        var ordered: [Profile] = []
        for name in order {
            if let profile = remaining.removeValue(forKey: ExactName(name)) { ordered.append(profile) }
        }
        ordered += remaining.values.sorted { ExactName.precedes($0.name, $1.name) }
        return ordered
    }
}
