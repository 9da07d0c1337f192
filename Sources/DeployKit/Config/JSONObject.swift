/// The members of a JSON object, keyed by name byte for byte (see `ExactName`).
///
/// `nix eval --json` prints attribute sets as objects; two attributes whose names differ only
/// in Unicode normal form are two members here, where a `[String: JSONValue]` would keep one.
package struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    package typealias Key = String
    package typealias Value = JSONValue
    package typealias Element = (key: String, value: JSONValue)

    private var members: [ExactName: JSONValue]

    package init() {
        members = [:]
    }

    package init(_ dictionary: [String: JSONValue]) {
        members = Dictionary(uniqueKeysWithValues: dictionary.map { (ExactName($0.key), $0.value) })
    }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = [:]
        for (key, value) in elements { members[ExactName(key)] = value }
    }

    /// The member named exactly `key`.
    package subscript(key: String) -> JSONValue? {
        get { members[ExactName(key)] }
        set { members[ExactName(key)] = newValue }
    }

    /// The member names, in no particular order.
    package var keys: [String] { members.keys.map(\.text) }

    /// The member names sorted by bytes.
    package var sortedKeys: [String] { members.keys.sorted().map(\.text) }

    package var count: Int { members.count }
    package var isEmpty: Bool { members.isEmpty }

    package func makeIterator() -> Iterator {
        Iterator(base: members.makeIterator())
    }

    /// Walks the members as `(key, value)` pairs with plain `String` keys.
    package struct Iterator: IteratorProtocol {
        var base: Dictionary<ExactName, JSONValue>.Iterator

        package mutating func next() -> (key: String, value: JSONValue)? {
            base.next().map { (key: $0.key.text, value: $0.value) }
        }
    }
}

// MARK: - Codable

extension JSONObject: Codable {
    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MemberKey.self)
        members = [:]
        for key in container.allKeys {
            members[ExactName(key.stringValue)] = try container.decode(JSONValue.self, forKey: key)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        for name in members.keys.sorted() {
            try container.encode(members[name], forKey: MemberKey(stringValue: name.text))
        }
    }
}
