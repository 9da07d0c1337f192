/// The parts of an `http` check's URL: `http[s]://HOST[:PORT][/PATH]`, where HOST may be
/// `{hostname}` (the node's hostname) or an IPv6 literal in brackets.
///
/// Parsed by hand (deploysh links no URL library); only what a health check needs.
package struct HealthURL: Sendable, Hashable {
    package var isHTTPS: Bool
    package var host: String
    package var port: Int
    /// The path with its query, starting with `/`.
    package var path: String

    /// The URL with `{hostname}` replaced by `hostname`.
    package init?(_ text: String, hostname: String? = nil) {
        let resolved =
            hostname.map { text.split(separator: "{hostname}", omittingEmptySubsequences: false).joined(separator: $0) }
            ?? text
        let scheme: Substring
        let rest: Substring
        if resolved.hasPrefix("http://") {
            (scheme, rest) = ("http", resolved.dropFirst(7))
        } else if resolved.hasPrefix("https://") {
            (scheme, rest) = ("https", resolved.dropFirst(8))
        } else {
            return nil
        }
        isHTTPS = scheme == "https"
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var tail = String(rest[authorityEnd...])
        if let fragment = tail.firstIndex(of: "#") { tail = String(tail[..<fragment]) }
        if tail.isEmpty || tail.hasPrefix("?") { tail = "/" + tail }
        guard !tail.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }) else { return nil }
        path = tail
        guard let address = HealthAddress.split(authority, defaultPort: isHTTPS ? 443 : 80) else { return nil }
        host = address.host
        port = address.port
    }

    /// `http://host:port/path`, as fetched.
    package var text: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(isHTTPS ? "https" : "http")://\(shownHost):\(port)\(path)"
    }
}
