/// A `tcp` check's `HOST:PORT` (HOST may be `{hostname}` or a bracketed IPv6 literal).
package struct HealthAddress: Sendable, Hashable {
    package var host: String
    package var port: Int

    /// The address with `{hostname}` replaced by `hostname`.
    package init?(_ text: String, hostname: String? = nil) {
        var resolved = text
        if let hostname {
            resolved = resolved.split(separator: "{hostname}", omittingEmptySubsequences: false)
                .joined(separator: hostname)
        }
        guard let parts = Self.split(resolved[...], defaultPort: nil) else { return nil }
        host = parts.host
        port = parts.port
    }

    /// Splits `HOST[:PORT]`; a missing port takes `defaultPort` (none: malformed).
    static func split(_ authority: Substring, defaultPort: Int?) -> (host: String, port: Int)? {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
            if host.contains(":") { return nil }
        } else {
            host = authority
        }
        if host.contains("@") { return nil }
        guard !host.isEmpty, !host.hasPrefix("-"), !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            return nil
        }
        let port: Int
        if let portText {
            guard let number = Int(portText), portText.allSatisfy(\.isASCII), (1...65535).contains(number) else {
                return nil
            }
            port = number
        } else {
            guard let defaultPort else { return nil }
            port = defaultPort
        }
        return (String(host), port)
    }
}
