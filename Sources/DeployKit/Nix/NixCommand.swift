/// Builds the argv of every `nix` command deploysh runs; nothing else spells nix flags.
///
/// Every command enables flakes explicitly, so users without `experimental-features` in
/// their nix.conf still work.
package struct NixCommand: Sendable, Hashable {
    package var version: NixVersion
    /// What the person asked for on top of deploysh's own flags (`deploy -c`, `deploy -- --impure`).
    package var options: NixOptions

    package init(version: NixVersion, options: NixOptions = NixOptions()) {
        self.version = version
        self.options = options
    }

    package static let featureFlags = ["--extra-experimental-features", "nix-command flakes"]

    /// A builder for `nix eval` alone, whose flags are the same on every Nix version, so
    /// `load` need not wait for `nix --version` first.
    package static let evaluation = NixCommand(version: .v2_8)

    package static var versionQuery: Invocation { Invocation("nix", ["--version"]) }

    /// `nix eval [--impure] --json FLAKE#ATTR [--apply EXPR]` (`--impure` for an `EXPR` that reads a file).
    package func eval(flake: String, attribute: String, apply: String?, impure: Bool = false) -> Invocation {
        var arguments =
            Self.featureFlags + ["eval"] + (impure ? ["--impure"] : []) + ["--json", "\(flake)#\(attribute)"]
        if let apply { arguments += ["--apply", apply] }
        return Invocation("nix", arguments + options.extraArguments)
    }

    /// `nix build --no-link` of several derivations at once (one invocation for all).
    package func build(derivations: [String], store: String? = nil, evalStore: String? = nil) -> Invocation {
        var arguments = Self.featureFlags + ["build", "--no-link"]
        if let evalStore { arguments += ["--eval-store", evalStore] }
        if let store { arguments += ["--store", store] }
        arguments += derivations.map(installable(forDerivation:))
        // The local Nix's builders (`--builders`) belong to a local build, not to one on a node.
        let local = store == nil ? options.buildArguments : []
        return Invocation("nix", arguments + local + options.extraArguments)
    }

    /// `nix build --out-link LINK PATH`: a GC root for an already built path (`deploy -k`).
    package func resultLink(_ link: String, to path: String) -> Invocation {
        Invocation("nix", Self.featureFlags + ["build", "--out-link", link, path])
    }

    /// The installable that builds a `.drv`'s outputs on this Nix version.
    package func installable(forDerivation path: String) -> String {
        version.needsOutputSpecForDerivations ? path + "^out" : path
    }

    /// `nix copy --to URI PATHS`, optionally substituting on the destination.
    package func copy(
        paths: [String],
        to destination: String,
        derivation: Bool = false,
        substituteOnDestination: Bool,
        sshOptions: String?
    ) -> Invocation {
        var arguments = Self.featureFlags + ["copy"] + (options.checksSignatures ? [] : ["--no-check-sigs"])
        if derivation { arguments.append("--derivation") }
        if substituteOnDestination { arguments.append("--substitute-on-destination") }
        arguments += ["--to", destination] + paths
        var environment: [String: String] = [:]
        if let sshOptions { environment["NIX_SSHOPTS"] = sshOptions }
        return Invocation("nix", arguments, environment: environment)
    }

    /// `nix copy --to URL PATHS` into a binary cache or another store, signatures not checked
    /// locally (the cache signs what it is given, see ``StoreURL/uploadURL(_:secretKeyFile:)``).
    package func upload(paths: [String], to url: String) -> Invocation {
        Invocation("nix", Self.featureFlags + ["copy", "--no-check-sigs", "--to", url] + paths)
    }

    /// `nix store sign --key-file KEY -r PATHS`: signs the closures in the local store (before
    /// they go to an `ssh://` store, which keeps the signatures it is given).
    package func sign(paths: [String], keyFile: String) -> Invocation {
        Invocation("nix", Self.featureFlags + ["store", "sign", "--key-file", keyFile, "-r"] + paths)
    }

    /// The words a node runs to substitute `path` (and its closure) from `substituter`, trusting
    /// `publicKey`, with misses not cached (a node that asked before the upload would otherwise
    /// believe the cache lacks the path for an hour).
    package static func remoteRealiseWords(path: String, substituter: String, publicKey: String?) -> [String] {
        var words = ["nix-store", "--realise", path, "--option", "extra-substituters", substituter]
        if let publicKey { words += ["--option", "extra-trusted-public-keys", publicKey] }
        return words + ["--option", "narinfo-cache-negative-ttl", "0", "--option", "connect-timeout", "5"]
    }

    /// `nix flake check FLAKE` plus the extra arguments, as deploy-rs runs it before a deploy.
    package func flakeCheck(flake: String) -> Invocation {
        Invocation("nix", Self.featureFlags + ["flake", "check", flake] + options.extraArguments)
    }

    /// `nix path-info --json PATHS` (does a path exist in the local store, and its closure size).
    package func pathInfo(paths: [String], recursive: Bool = false) -> Invocation {
        Invocation("nix", Self.featureFlags + ["path-info", "--json"] + (recursive ? ["-r"] : []) + paths)
    }
}

extension NixCommand {
    /// `nix-store --query --requisites PATH`: the closure of a local store path, one path a line.
    package func closure(of path: String) -> Invocation {
        Invocation("nix-store", ["--query", "--requisites", path])
    }

    /// The same query as remote words, to run on a target over ssh.
    package static func remoteClosureWords(of path: String) -> [String] {
        ["nix-store", "--query", "--requisites", path]
    }
}
