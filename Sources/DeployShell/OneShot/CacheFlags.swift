import ArgumentParser
import DeployKit

/// `--push-to`, `--pull-from`, `--cache-key` and `--no-fallback`: the binary cache of one
/// deploy, read the same way by the shell's `deploy`/`copy` and the one-shot CLI; a bad value
/// is a usage error naming the flag.
package struct CacheFlags: ParsableArguments, Sendable {
    @Option(
        help: ArgumentHelp(
            "Upload every closure once to this binary cache, for the nodes to pull (deploysh).",
            valueName: "url"
        )
    )
    package var pushTo: String?

    @Option(help: ArgumentHelp("Where the nodes pull from (default: --push-to) (deploysh).", valueName: "url"))
    package var pullFrom: String?

    @Option(
        help: ArgumentHelp("The Nix secret key that signs the uploads (deploysh).", valueName: "file"),
        completion: .file()
    )
    package var cacheKey: String?

    @Flag(help: "Fail a node whose pull from the cache fails, instead of copying directly (deploysh).")
    package var noFallback = false

    package init() {}

    /// The cache options these flags give (only what they set).
    ///
    /// - Throws: `ValidationError` naming the flag with a bad URL or key file.
    package func options() throws -> CacheOptions {
        do throws(CacheError) {
            var options = CacheOptions()
            options.cache.pushTo = try pushTo.map { url throws(CacheError) in
                try CacheOptions.checkedURL(url, setting: "--push-to")
            }
            options.cache.pullFrom = try pullFrom.map { url throws(CacheError) in
                try CacheOptions.checkedURL(url, setting: "--pull-from")
            }
            if let cacheKey {
                _ = try CacheKey.readSecretKey(at: cacheKey)
                options.keyFile = cacheKey
            }
            if noFallback { options.fallback = false }
            return options
        } catch {
            throw ValidationError(error.message + (error.hint.map { ". " + $0 } ?? ""))
        }
    }
}

/// `--builders` and `--max-jobs` of the shell's `deploy` and `build`: Nix's remote builders for
/// the one local `nix build` (the one-shot CLI passes them after `--`, as deploy-rs does).
package struct BuilderFlags: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Nix's remote builders for the local build.", valueName: "spec")) package var builders:
        String?
    @Option(help: ArgumentHelp("Build jobs the local Nix runs itself (0: builders only).", valueName: "n"))
    package var maxJobs: Int?

    package init() {}

    package func validate() throws {
        if let maxJobs, maxJobs < 0 { throw ValidationError("--max-jobs must be 0 or more") }
    }

    /// `options` with these flags over them.
    package func applied(to options: NixOptions) -> NixOptions {
        var options = options
        if let builders { options.builders = builders }
        if let maxJobs { options.maxJobs = maxJobs }
        return options
    }
}
