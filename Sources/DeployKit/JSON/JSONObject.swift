/// The members of a JSON object, keyed by name byte for byte (see `ExactName`).
///
/// `nix eval --json` prints attribute sets as objects; two attributes whose names differ only
/// in Unicode normal form are two members here, where a `[String: JSONValue]` would keep one.
///
/// Members are kept in one array sorted by name bytes: Nix prints attributes in that order, so
/// reading its output needs no sorting and no hashing, and a lookup in the small objects that
/// make up a `deploy` output is a few byte comparisons (a 1000-node `load` does ~50 000).
package struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    package typealias Key = String
    package typealias Value = JSONValue
    package typealias Element = (key: String, value: JSONValue)

    /// One member; `members` holds them sorted by `name`, each name once.
    struct Member: Sendable, Hashable {
        var name: ExactName
        var value: JSONValue
    }

    private var members: [Member]

    package init() {
        members = []
    }

    package init(_ dictionary: [String: JSONValue]) {
        self.init(members: dictionary.map { ($0.key, $0.value) })
    }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(members: elements)
    }

    /// The members in the order read; for a name given twice, the last value counts (as in JSON readers).
    package init(members list: [(String, JSONValue)]) {
        self.init(read: list.map { Member(name: ExactName($0.0), value: $0.1) })
    }

    /// The members as `JSONParser` read them (already sorted when Nix printed them).
    init(read: [Member]) {
        members = read
        var isSorted = true
        var index = 1
        while isSorted && index < members.count {
            isSorted = members[index - 1].name < members[index].name
            index += 1
        }
        if isSorted { return }
        // Stable: of equal names the last one read ends up last, and is the one kept.
        let ordered = members.enumerated().sorted { first, second in
            first.element.name == second.element.name
                ? first.offset < second.offset : first.element.name < second.element.name
        }
        members = []
        members.reserveCapacity(ordered.count)
        for (_, member) in ordered {
            if let last = members.last, last.name == member.name {
                members[members.count - 1] = member
            } else {
                members.append(member)
            }
        }
    }

    /// The index of the member named `name`, or where it would be inserted.
    private func position(of name: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let order = ExactName.compare(members[middle].name.text, name)
            if order == 0 { return (middle, true) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    /// The member named exactly `key`.
    package subscript(key: String) -> JSONValue? {
        get {
            let (index, found) = position(of: key)
            guard found else { return nil }  // `nil`, not `.null`: JSONValue is ExpressibleByNilLiteral
            return members[index].value
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?): members.insert(Member(name: ExactName(key), value: value), at: index)
            case (false, nil): break
            }
        }
    }

    /// The member names, sorted by bytes.
    package var keys: [String] { members.map(\.name.text) }

    /// The member names sorted by bytes.
    package var sortedKeys: [String] { keys }

    package var count: Int { members.count }
    package var isEmpty: Bool { members.isEmpty }

    package func makeIterator() -> Iterator {
        Iterator(base: members.makeIterator())
    }

    /// Walks the members as `(key, value)` pairs with plain `String` keys, sorted by bytes.
    package struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Member]>

        package mutating func next() -> (key: String, value: JSONValue)? {
            base.next().map { (key: $0.name.text, value: $0.value) }
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
        var list: [(String, JSONValue)] = []
        for key in container.allKeys {
            list.append((key.stringValue, try container.decode(JSONValue.self, forKey: key)))
        }
        self.init(members: list)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        for member in members {
            try container.encode(member.value, forKey: MemberKey(stringValue: member.name.text))
        }
    }
}
