#if canImport(Glibc)
    import Glibc
#endif

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
        compare(lhs.text, rhs.text) == 0
    }

    package func hash(into hasher: inout Hasher) {
        var text = text  // `withUTF8` may make the storage contiguous, so it needs a copy
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xFF as UInt8)  // a byte UTF-8 never uses: ends the name
    }

    /// Byte order (which is Unicode scalar order), never canonical order.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        compare(lhs.text, rhs.text) < 0
    }

    package var description: String { text }

    /// Whether `first` and `second` are the same bytes.
    package static func same(_ first: String, _ second: String) -> Bool {
        compare(first, second) == 0
    }

    /// Whether `first` sorts before `second` by bytes.
    package static func precedes(_ first: String, _ second: String) -> Bool {
        compare(first, second) < 0
    }

    /// Negative, zero or positive as `first` sorts before, with or after `second`, by bytes.
    ///
    /// One `memcmp` over contiguous UTF-8 (names are compared tens of thousands of times
    /// when a large flake is read; the generic `utf8` sequence methods are ten times slower).
    package static func compare(_ first: String, _ second: String) -> Int {
        var first = first  // `withUTF8` may make the storage contiguous, so it needs copies
        var second = second
        return first.withUTF8 { left in
            second.withUTF8 { right in
                let shared = min(left.count, right.count)
                if shared > 0, let a = left.baseAddress, let b = right.baseAddress {
                    let order = memcmp(a, b, shared)
                    if order != 0 { return Int(order) }
                }
                return left.count - right.count
            }
        }
    }
}

// MARK: - ExpressibleByStringLiteral

extension ExactName: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) {
        self.init(value)
    }
}
