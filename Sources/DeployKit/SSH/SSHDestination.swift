/// A checked ssh destination, `user@host`, that ssh and Nix can only read as a destination.
///
/// ssh reads any argument that starts with `-` as an option (`-oProxyCommand=...` runs a
/// command on the deployer's machine), and Nix puts the host of an `ssh://` store URL before
/// its own options. So a host or user that could be read as an option, or that holds blanks
/// or control characters, is refused when the flake is loaded (`SchemaChecker`, `set`), and
/// again here, right before any ssh call or store URL is made from it.
package struct SSHDestination: Sendable, Hashable, CustomStringConvertible {
    package let user: String
    package let host: String

    /// Checks `user` and `host`.
    ///
    /// - Parameters:
    ///   - userAttribute: where the user came from, for the error (`deploy.nodes.web.sshUser`).
    ///   - hostAttribute: where the host came from, for the error (`deploy.nodes.web.hostname`).
    /// - Throws: `DestinationError.unsafe` naming the attribute.
    package init(user: String, host: String, userAttribute: String, hostAttribute: String) throws(DestinationError) {
        if let problem = Self.problem(with: host) {
            throw .unsafe(attribute: hostAttribute, value: host, problem: problem)
        }
        if let problem = Self.problem(with: user) {
            throw .unsafe(attribute: userAttribute, value: user, problem: problem)
        }
        self.user = user
        self.host = host
    }

    /// `user@host`.
    package var description: String { "\(user)@\(host)" }

    /// What makes `value` unsafe as a host or user name, or `nil` when it is fine.
    package static func problem(with value: String) -> String? {
        if value.isEmpty { return "is empty" }
        if value.utf8.first == UInt8(ascii: "-") { return "starts with '-', so ssh would read it as an option" }
        // Printable ASCII needs no look at Unicode properties (the common case, checked for every node at load).
        let isPrintableASCII = value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        if !isPrintableASCII, value.unicodeScalars.contains(where: { $0.properties.isWhitespace || isControl($0) }) {
            return "contains a blank or a control character"
        }
        return nil
    }

    /// Whether `scalar` is a C0 or C1 control character, or DEL.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
