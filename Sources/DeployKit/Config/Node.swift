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
    /// `tags` (deploysh's own attribute): `@TAG` selects every node that has the tag.
    package var tags: [String]
    /// `binaryCache` (deploysh's own): overrides the top level's, field by field.
    package var binaryCache: BinaryCache?

    package init(
        name: String,
        hostname: String? = nil,
        settings: Settings = Settings(),
        profilesOrder: [String] = [],
        profiles: [Profile] = [],
        tags: [String] = [],
        binaryCache: BinaryCache? = nil
    ) {
        self.name = name
        self.hostname = hostname
        self.settings = settings
        self.profilesOrder = profilesOrder
        self.profiles = Self.deployOrder(profiles, order: profilesOrder)
        self.tags = tags
        self.binaryCache = binaryCache
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
            profiles: profiles,
            tags: json["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            binaryCache: json["binaryCache"] == nil ? nil : BinaryCache(json: json["binaryCache"])
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
        // A node has a handful of profiles: sorting indices and a linear search beat hashing
        // every name, and each profile (a large value) is copied once, into the result.
        let isSorted = zip(profiles, profiles.dropFirst()).allSatisfy { ExactName.precedes($0.name, $1.name) }
        if isSorted && order.isEmpty { return profiles }
        var byName = Array(profiles.indices)
        if !isSorted {
            byName.sort { ExactName.precedes(profiles[$0].name, profiles[$1].name) }  // stable: first given first
            byName = byName.enumerated().filter { position, index in
                position == 0 || !ExactName.same(profiles[byName[position - 1]].name, profiles[index].name)
            }.map(\.element)
        }
        var taken = [Bool](repeating: false, count: profiles.count)
        var ordered: [Profile] = []
        ordered.reserveCapacity(byName.count)
        for name in order {
            if let index = byName.first(where: { ExactName.same(profiles[$0].name, name) }), !taken[index] {
                taken[index] = true
                ordered.append(profiles[index])
            }
        }
        for index in byName where !taken[index] { ordered.append(profiles[index]) }
        return ordered
    }
}
