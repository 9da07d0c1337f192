/// A binary-cache setting that cannot be used: it names the setting or the file, and the next step.
package enum CacheError: UserFacingError, Equatable {
    /// A `pushTo`/`pullFrom` value (flag, `set`, or the flake's `binaryCache`) that is not a store URL.
    case badURL(setting: String, value: String, problem: String)
    /// A key file (`--cache-key`, `set cacheKey`) that is not a Nix secret key.
    case badKeyFile(path: String, problem: String)
    /// A `publicKey` that is not a Nix public key.
    case badPublicKey(setting: String, value: String, problem: String)
    /// No key file given and no state directory to keep deploysh's own.
    case noKey
    /// `nix key` failed.
    case keyCommandFailed(CommandFailure)
    /// The local Nix cannot open the store (`s3://` on a Nix built without S3 support).
    case unsupportedStore(url: String, nixVersion: String)

    package var message: String {
        switch self {
        case .badURL(let setting, let value, let problem):
            "\(setting) \(DisplayText.quoted(value)) \(problem)"
        case .badKeyFile(let path, let problem):
            "the cache key file \(DisplayText.quoted(path)) \(problem)"
        case .badPublicKey(let setting, let value, let problem):
            "\(setting) \(DisplayText.quoted(value)) \(problem)"
        case .noKey:
            "no key to sign the cache uploads with"
        case .keyCommandFailed(let failure):
            failure.message
        case .unsupportedStore(let url, let version):
            "this Nix (\(version)) cannot open the store \(DisplayText.quoted(StoreURL.display(url)))"
        }
    }

    package var details: [String] {
        if case .keyCommandFailed(let failure) = self { return failure.details }
        return []
    }

    package var hint: String? {
        switch self {
        case .badURL:
            "Give a store URL such as http://cache.example:8080, https://..., file:///srv/cache or ssh-ng://user@host."
        case .badKeyFile:
            "Give a file made by `nix key generate-secret --key-name NAME` (one line NAME:BASE64), "
                + "or leave the key out and deploysh makes its own."
        case .badPublicKey:
            "Give the line `nix key convert-secret-to-public` prints for the cache's key (NAME:BASE64)."
        case .noKey:
            "Give a key with --cache-key FILE (or `set cacheKey FILE`)."
        case .keyCommandFailed:
            "Check that `nix key generate-secret --key-name test` works on the deployer."
        case .unsupportedStore(let url, _):
            StoreURL.scheme(of: url) == "s3"
                ? "This Nix was built without S3 support (Debian's is): push to an http(s)://, file:// or ssh-ng:// "
                    + "store, or use a Nix with S3 support."
                : "Use a store URL this Nix can write (see `nix help-stores`)."
        }
    }
}
