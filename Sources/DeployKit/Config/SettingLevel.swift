/// Where an effective setting came from, so `show` can explain why a value is what it is.
///
/// The cases are listed from the lowest precedence to the highest, except `default`,
/// which applies when no level sets the value.
package enum SettingLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case deploy
    case node
    case profile
    case override
    case `default`
}
