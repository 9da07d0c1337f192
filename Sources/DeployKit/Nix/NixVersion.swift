/// The version of the local Nix, detected once per session, because the CLI changed over time.
///
/// Nix 2.8 (Debian's) builds a bare `.drv` installable's outputs, while Nix >= 2.15 needs
/// `drv^out`; `--print-out-paths` exists from 2.14 on.
package struct NixVersion: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    package var major: Int
    package var minor: Int
    package var patch: Int

    package init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses the output of `nix --version`, for example `nix (Nix) 2.8.0`.
    package init?(versionOutput: String) {
        guard let word = versionOutput.split(whereSeparator: \.isWhitespace).last(where: { $0.first?.isNumber == true })
        else { return nil }
        let numbers = word.split(separator: ".").map { Int($0.prefix { $0.isNumber }) }
        guard numbers.count >= 2, let major = numbers[0], let minor = numbers[1] else { return nil }
        self.init(major, minor, numbers.count > 2 ? (numbers[2] ?? 0) : 0)
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The version spelled as people write it (Debian ships 2.8); STYLE.md uses this name.
    package static let v2_8 = NixVersion(2, 8, 0)

    /// Whether a derivation installable must be written `DRV^out` (Nix 2.15 and later).
    package var needsOutputSpecForDerivations: Bool { self >= NixVersion(2, 15) }

    package var description: String { "\(major).\(minor).\(patch)" }

    package static func < (lhs: NixVersion, rhs: NixVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}
