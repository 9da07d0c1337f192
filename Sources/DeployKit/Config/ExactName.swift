/// A name compared byte for byte, as Nix compares attribute names.
///
/// Swift's `String ==` uses canonical equivalence, so `café` written in NFC and in NFD are
/// one string to Swift but two attributes to Nix; keyed by `String`, two such nodes would
/// collapse into one and mix their hosts and store paths. Names are keyed, compared and
/// sorted by their UTF-8 bytes instead.
package struct ExactName: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let text: String

    package init(_ text: String) {
        self.text = text
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        same(lhs.text, rhs.text)
    }

    package func hash(into hasher: inout Hasher) {
        var text = text  // `withUTF8` may make the storage contiguous, so it needs a copy
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xFF as UInt8)  // a byte UTF-8 never uses: ends the name
    }

    /// Byte order (which is Unicode scalar order), never canonical order.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }

    package var description: String { text }

    /// Whether `first` and `second` are the same bytes.
    package static func same(_ first: String, _ second: String) -> Bool {
        first.utf8.count == second.utf8.count && first.utf8.elementsEqual(second.utf8)
    }

    /// Whether `first` sorts before `second` by bytes.
    package static func precedes(_ first: String, _ second: String) -> Bool {
        first.utf8.lexicographicallyPrecedes(second.utf8)
    }
}

// MARK: - ExpressibleByStringLiteral

extension ExactName: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) {
        self.init(value)
    }
}
