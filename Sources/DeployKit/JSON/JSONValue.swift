#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A plain JSON value, as printed by `nix eval --json`.
///
/// The `deploy` output is loosely typed (users write anything in Nix), so it is decoded
/// into this value first; the typed model and the schema check then read it without
/// ever failing on an unexpected shape.
package enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Parses JSON text, for example the standard output of `nix eval --json`.
    ///
    /// - Throws: `DecodingError` when the text is not valid JSON.
    package static func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    /// The member named `key` of an object, or `nil` for a missing key or a non-object.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string, if this is a string.
    package var stringValue: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The Boolean, if this is a Boolean.
    package var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The number, if this is a number.
    package var doubleValue: Double? {
        guard case .number(let value) = self else { return nil }
        return value
    }

    /// The number as an `Int`, if this is a number without a fractional part that fits.
    package var intValue: Int? {
        guard case .number(let value) = self, value.rounded() == value,
            value >= -9.0e15, value <= 9.0e15
        else { return nil }
        return Int(value)
    }

    /// The elements, if this is an array.
    package var arrayValue: [JSONValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    /// The members, if this is an object.
    package var objectValue: JSONObject? {
        guard case .object(let value) = self else { return nil }
        return value
    }

    /// Whether this is `null`.
    package var isNull: Bool { self == .null }

    /// The strings, if this is an array whose elements are all strings.
    package var stringArrayValue: [String]? {
        guard case .array(let elements) = self else { return nil }
        var strings: [String] = []
        for element in elements {
            guard let string = element.stringValue else { return nil }
            strings.append(string)
        }
        return strings
    }

    /// The Nix name of this value's type, as used in messages: "string", "integer", "float",
    /// "boolean", "null", "list" or "attribute set".
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: intValue == nil ? "float" : "integer"
        case .string: "string"
        case .array: "list"
        case .object: "attribute set"
        }
    }

    /// `typeName` with an indefinite article ("a string", "an attribute set", "null").
    package var typeNameWithArticle: String {
        Self.withArticle(typeName)
    }

    /// Puts "a" or "an" before a type name; "null" stays bare.
    package static func withArticle(_ typeName: String) -> String {
        if typeName == "null" { return typeName }
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        guard let first = typeName.first, vowels.contains(first) else { return "a \(typeName)" }
        return "an \(typeName)"
    }
}

// MARK: - Codable

extension JSONValue: Codable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode(JSONObject.self))
        }
    }

    /// Encodes plain JSON; a number without a fractional part is written as an integer.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if let integer = intValue {
                try container.encode(integer)
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
