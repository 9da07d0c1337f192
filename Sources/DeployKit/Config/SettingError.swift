/// A `set`/`unset` (or command-line override) that names no setting or gives a value of the wrong type.
///
/// A closed domain, so value parsing uses `throws(SettingError)`.
package enum SettingError: UserFacingError, Equatable {
    case unknownKey(String, suggestions: [String])
    case badValue(key: SettingKey, value: String)
    /// A host or user that could be read as an option, or a user that would escape the profiles directory.
    case unsafeValue(key: SettingKey, value: String, problem: String)

    package var message: String {
        switch self {
        case .unknownKey(let key, _):
            "no setting named '\(key)'"
        case .badValue(let key, let value):
            "setting '\(key.rawValue)' expects \(key.expectedTypeDescription), not \(DisplayText.quoted(value))"
        case .unsafeValue(let key, let value, let problem):
            "setting '\(key.rawValue)' \(DisplayText.quoted(value)) \(problem)"
        }
    }

    package var hint: String? {
        switch self {
        case .unknownKey(_, let suggestions):
            guard !suggestions.isEmpty else { return "Run `set` to list settings." }
            let names = suggestions.map { "'\($0)'" }.joined(separator: " or ")
            return "Did you mean \(names)? Run `set` to list settings."
        case .badValue(let key, _), .unsafeValue(let key, _, _):
            return "For example: `set \(key.rawValue) \(key.exampleValue)`."
        }
    }
}
