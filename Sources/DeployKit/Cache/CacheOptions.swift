/// What a person asked of the binary cache for a session or one deploy (`set pushTo`,
/// `deploy --push-to`, `--pull-from`, `--cache-key`, `--no-fallback`), above the flake's `binaryCache`.
package struct CacheOptions: Sendable, Hashable {
    /// The cache to push to, and where nodes pull from and which key they check (above the flake's).
    package var cache = BinaryCache()
    /// The secret key file that signs the uploads; `nil`: deploysh's own key.
    package var keyFile: String?
    /// A node whose pull fails gets a direct copy (saying so); `false` makes that node fail.
    package var fallback: Bool?

    package init(cache: BinaryCache = BinaryCache(), keyFile: String? = nil, fallback: Bool? = nil) {
        self.cache = cache
        self.keyFile = keyFile
        self.fallback = fallback
    }

    /// These options with each one `higher` sets taking its place.
    package func overlaid(by higher: CacheOptions) -> CacheOptions {
        CacheOptions(
            cache: cache.overlaid(by: higher.cache),
            keyFile: higher.keyFile ?? keyFile,
            fallback: higher.fallback ?? fallback
        )
    }

    /// Checks a URL given for `setting` (a flag or `set` key).
    ///
    /// - Throws: ``CacheError/badURL(setting:value:problem:)``.
    package static func checkedURL(_ value: String, setting: String) throws(CacheError) -> String {
        if let problem = StoreURL.problem(with: value) {
            throw .badURL(setting: setting, value: value, problem: problem)
        }
        return value
    }

    /// Checks a public key given for `setting`.
    ///
    /// - Throws: ``CacheError/badPublicKey(setting:value:problem:)``.
    package static func checkedPublicKey(_ value: String, setting: String) throws(CacheError) -> String {
        if let problem = CacheKey.publicKeyProblem(value) {
            throw .badPublicKey(setting: setting, value: value, problem: problem)
        }
        return value
    }

    /// The way `profile` is copied under these options: through the cache when a `pushTo` or
    /// `pullFrom` applies to its node (the flake's, overridden by these), else directly. A
    /// `pullFrom` alone is a cache something else fills (CI): the nodes pull, nothing is uploaded.
    package func route(for profile: ResolvedProfile) -> CacheRoute? {
        let effective = (profile.binaryCache ?? BinaryCache()).overlaid(by: cache)
        guard let pullFrom = effective.pullFrom ?? effective.pushTo else { return nil }
        return CacheRoute(
            pushTo: effective.pushTo,
            pullFrom: pullFrom,
            publicKey: effective.publicKey,
            fallback: fallback ?? true
        )
    }
}

/// How one target's closure reaches its node through a binary cache: uploaded once to
/// `pushTo` with every other target's (when there is one), then substituted by the node from `pullFrom`.
package struct CacheRoute: Sendable, Hashable, Codable {
    /// The cache this deploy uploads to; `nil`: one filled by something else.
    package var pushTo: String?
    package var pullFrom: String
    /// The key the node checks the signatures with; `nil`: the signing key's public half.
    package var publicKey: String?
    /// Copy directly when the pull fails (saying so), instead of failing the target.
    package var fallback: Bool

    package init(pushTo: String?, pullFrom: String, publicKey: String?, fallback: Bool) {
        self.pushTo = pushTo
        self.pullFrom = pullFrom
        self.publicKey = publicKey
        self.fallback = fallback
    }
}

/// How a target's closure reached its node, for the summary.
package enum CopyWay: Sendable, Hashable {
    /// `nix copy --to ssh://` from the deployer.
    case direct
    /// Substituted by the node from this cache.
    case cache(String)
    /// The pull from this cache failed (the reason), so it was copied directly.
    case fallback(String, reason: String)

    /// One word for tables and JSON: `direct`, `cache` or `fallback`.
    package var name: String {
        switch self {
        case .direct: "direct"
        case .cache: "cache"
        case .fallback: "fallback"
        }
    }
}
