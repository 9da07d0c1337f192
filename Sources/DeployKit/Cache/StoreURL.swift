/// A Nix store URL as deploysh accepts it for `pushTo` and `pullFrom`: checked before Nix or a
/// node's shell sees it, and given the upload parameters deploysh adds.
package enum StoreURL {
    /// The schemes of stores Nix can copy to and substitute from.
    package static let schemes = ["file", "http", "https", "ssh", "ssh-ng", "s3"]

    /// What is wrong with `url`, or `nil` when Nix can be given it.
    package static func problem(with url: String) -> String? {
        if url.isEmpty { return "is empty" }
        if url.contains(where: { $0.isWhitespace || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false) }) {
            return "contains a blank or a control character"
        }
        guard let scheme = scheme(of: url) else {
            return
                "is not a store URL (expected SCHEME://..., one of \(schemes.map { $0 + "://" }.joined(separator: ", ")))"
        }
        guard schemes.contains(scheme) else {
            return
                "has the scheme '\(scheme)://', which Nix cannot copy to (use one of \(schemes.joined(separator: ", ")))"
        }
        let rest = url.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        switch scheme {
        case "file":
            guard rest.hasPrefix("/") else { return "needs an absolute path (file:///srv/cache)" }
        default:
            guard !authority.isEmpty else { return "names no host" }
            if authority.hasPrefix("-") { return "names a host that starts with '-'" }
        }
        return nil
    }

    /// The scheme of `url` (the text before `://`), if it has one made of letters, digits and `-`.
    package static func scheme(of url: String) -> String? {
        guard let range = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<range.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            return nil
        }
        return scheme.lowercased()
    }

    /// Whether the store is a binary cache (files served as NARs), which signs what it is given
    /// with a `secret-key` parameter; `ssh://` and `ssh-ng://` stores are Nix stores instead.
    package static func isBinaryCache(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return false }
        return scheme == "file" || scheme == "http" || scheme == "https" || scheme == "s3"
    }

    /// The URL `nix copy --to` gets: a binary cache signs with `secretKeyFile` and, unless the URL
    /// chooses, compresses with zstd (Nix's default, xz, runs at a few MB/s and would make the
    /// upload slower than copying directly).
    package static func uploadURL(_ url: String, secretKeyFile: String?) -> String {
        guard isBinaryCache(url) else { return url }
        let parameters =
            url.split(separator: "?", maxSplits: 1).dropFirst().first.map {
                $0.split(separator: "&").map { String($0.prefix { $0 != "=" }) }
            } ?? []
        var added: [String] = []
        if let secretKeyFile, !parameters.contains("secret-key") { added.append("secret-key=\(secretKeyFile)") }
        if !parameters.contains("compression") { added.append("compression=zstd") }
        guard !added.isEmpty else { return url }
        return url + (url.contains("?") ? "&" : "?") + added.joined(separator: "&")
    }

    /// The URL without its query (`?...`), as shown in reports and given as a substituter.
    package static func display(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}
