import ArgumentParser
import DeployKit

/// deploy-rs's `deploy` command line (its `src/cli.rs`), same names, values and defaults,
/// plus deploysh's `--jobs` and `--keep-going`; ``request()`` turns it into a ``DeployRequest``.
///
/// Booleans that override a setting take a value (`--magic-rollback false`), as in deploy-rs.
/// `--ssh-opts` takes the next word whatever it starts with (`--ssh-opts "-o X"`), and
/// everything after `--` goes to Nix (`deploy .#web -- --impure`). As in deploy-rs, there is
/// one positional target; several go after `--targets`.
package struct DeployArguments: ParsableArguments {
    @Argument(help: "The flake to deploy: FLAKE, FLAKE#NODE or FLAKE#NODE.PROFILE (default: `.`).")
    package var target: String?

    @Option(parsing: .upToNextOption, help: "Several targets to deploy, in this order.")
    package var targets: [String] = []

    @Flag(name: [.customShort("c"), .long], help: "Check signatures when using `nix copy`.")
    package var checksigs = false

    @Flag(name: .shortAndLong, help: "Show the plan and each closure diff, and ask before deploying.")
    package var interactive = false

    @Flag(name: .shortAndLong, help: "Skip the automatic pre-build checks (`nix flake check`).")
    package var skipChecks = false

    @Option(help: "Override the SSH user with the given value.")
    package var sshUser: String?

    @Option(help: "Override the profile user with the given value.")
    package var profileUser: String?

    @Option(parsing: .unconditional, help: "Override the SSH options used (one string, split like a shell).")
    package var sshOpts: String?

    @Option(
        help: ArgumentHelp("Override if the connection to the target node is fast.", valueName: "true|false"),
        completion: Self.booleans
    )
    package var fastConnection: Bool?

    @Option(
        help: ArgumentHelp("Override if a rollback is attempted when activation fails.", valueName: "true|false"),
        completion: Self.booleans
    )
    package var autoRollback: Bool?

    @Option(
        help: ArgumentHelp("Override if activation waits for confirmation, or rolls back.", valueName: "true|false"),
        completion: Self.booleans
    )
    package var magicRollback: Bool?

    @Option(help: ArgumentHelp("Where to store temporary files (magic rollback).", valueName: "path"))
    package var tempPath: String?

    @Option(help: ArgumentHelp("How long activation waits for confirmation (magic rollback).", valueName: "seconds"))
    package var confirmTimeout: UInt16?

    @Option(help: ArgumentHelp("How long to wait for profile activation.", valueName: "seconds"))
    package var activationTimeout: UInt16?

    @Flag(help: "Show what would be activated on the machines.")
    package var dryActivate = false

    @Flag(help: "Do not activate, but update the boot loader to boot into the new profile.")
    package var boot = false

    @Flag(help: "Build on the remote host.")
    package var remoteBuild = false

    @Option(
        help: ArgumentHelp(
            "Roll back succeeded targets when a later one fails (default: true).",
            valueName: "true|false"
        ),
        completion: Self.booleans
    )
    package var rollbackSucceeded: Bool?

    @Option(
        help: ArgumentHelp("Prompt for the sudo password during activation.", valueName: "true|false"),
        completion: Self.booleans
    )
    package var interactiveSudo: Bool?

    @Option(help: ArgumentHelp("The sudo command to use, e.g. `doas -u`.", valueName: "command"))
    package var sudo: String?

    @Option(help: "Override the hostname used for the node.")
    package var hostname: String?

    @Flag(name: .shortAndLong, help: "Print every command deploysh runs.")
    package var debugLogs = false

    @Option(
        help: ArgumentHelp("Directory to write logs to (including the activation's).", valueName: "dir"),
        completion: .directory
    )
    package var logDir: String?

    @Flag(name: .shortAndLong, help: "Keep the build outputs of each built profile (as GC roots).")
    package var keepResult = false

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Where to keep result links (default: ./.deploy-gc).", valueName: "path"),
        completion: .directory
    )
    package var resultPath: String?

    @Option(help: "Deploy at most this many nodes at once (deploysh).")
    package var jobs: Int?

    @Flag(help: "Go on after a failed node: deploy the other nodes and keep them (deploysh).")
    package var keepGoing = false

    @Option(
        help: ArgumentHelp("Deploy in batches: counts or percentages of the nodes (deploysh).", valueName: "1,25%,100%")
    )
    package var batches: String?

    @Option(help: ArgumentHelp("Failed nodes tolerated before the rollout stops (deploysh).", valueName: "N|P%"))
    package var maxFailures: String?

    @Option(
        help: ArgumentHelp(
            "What a spent failure budget does (deploysh).",
            valueName: "rollback-all|rollback-batch|halt"
        ),
        completion: .list(Rollout.OnFailure.allCases.map(\.rawValue))
    )
    package var onFailure: String?

    @Option(help: ArgumentHelp("Stop after these batches and ask before going on (deploysh).", valueName: "K[,K]"))
    package var pauseAfter: String?

    @Flag(help: "Do not run the profiles' healthChecks after activation (deploysh).")
    package var skipHealthChecks = false

    @Flag(help: "Do not run the profiles' preDeployChecks (deploysh).")
    package var skipPreDeployChecks = false

    @OptionGroup package var cache: CacheFlags
    @Flag(help: "Show each target's whole activation output, not only its last lines (deploysh).")
    package var showOutput = false

    @Flag(name: [.customShort("V"), .long], help: "Print the version.")
    package var version = false

    @Argument(parsing: .postTerminator, help: "Extra arguments for nix build, eval and flake check (after `--`).")
    package var extraBuildArgs: [String] = []

    /// deploy-rs's boolean values, for completion.
    static let booleans = CompletionKind.list(["true", "false"])

    package init() {}

    /// The request of a whole command line (what follows `deploysh deploy`).
    ///
    /// - Throws: ArgumentParser's errors for unknown flags and bad values, `ValidationError`.
    package static func request(parsing arguments: [String]) throws -> DeployRequest {
        try parse(arguments).request()
    }

    /// The request these arguments describe.
    ///
    /// - Throws: `ValidationError` (exit status 64) naming the flag or target that is wrong.
    package func request() throws -> DeployRequest {
        if target != nil && !targets.isEmpty {
            throw ValidationError("a positional target cannot be combined with --targets; use one or the other")
        }
        if dryActivate && boot { throw ValidationError("--dry-activate and --boot cannot be used together") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        let words = target.map { [$0] } ?? (targets.isEmpty ? ["."] : targets)
        let patterns = try words.map { word in
            do throws(SelectionError) {
                return try TargetParser.parse(word)
            } catch {
                throw ValidationError(error.message + ". " + (error.hint ?? ""))
            }
        }
        var request = DeployRequest(
            targets: patterns,
            overrides: try overrides(),
            dryActivate: dryActivate,
            boot: boot,
            skipChecks: skipChecks,
            rollbackSucceeded: rollbackSucceeded ?? true,
            jobs: jobs,
            keepGoing: keepGoing,
            interactive: interactive,
            debugLogs: debugLogs,
            logDirectory: try nonEmpty(logDir, flag: "--log-dir"),
            keepResult: keepResult,
            resultPath: try nonEmpty(resultPath, flag: "--result-path"),
            checksSignatures: checksigs,
            extraBuildArguments: extraBuildArgs
        )
        request.rollout = try RolloutFlags.overrides(
            batches: batches,
            maxFailures: maxFailures,
            onFailure: onFailure,
            pauseAfter: pauseAfter
        )
        request.skipsHealthChecks = skipHealthChecks
        request.skipsPreDeployChecks = skipPreDeployChecks
        request.cache = try cache.options()
        request.showsAllOutput = showOutput
        return request
    }

    /// The setting overrides, typed; empty strings are refused by flag name.
    private func overrides() throws -> SessionOverrides {
        var settings = Settings()
        settings.sshUser = try nonEmpty(sshUser, flag: "--ssh-user")
        settings.user = try nonEmpty(profileUser, flag: "--profile-user")
        if let sshOpts {
            do {
                settings.sshOpts = try ShellWords.split(sshOpts)
            } catch .unterminatedQuote(let quote) {
                throw ValidationError("--ssh-opts has an unterminated \(quote) quote: \(sshOpts)")
            } catch .trailingBackslash {
                throw ValidationError("--ssh-opts ends with a lone backslash: \(sshOpts)")
            }
        }
        settings.fastConnection = fastConnection
        settings.autoRollback = autoRollback
        settings.magicRollback = magicRollback
        settings.tempPath = try nonEmpty(tempPath, flag: "--temp-path")
        settings.confirmTimeout = confirmTimeout.map(Int.init)
        settings.activationTimeout = activationTimeout.map(Int.init)
        settings.remoteBuild = remoteBuild ? true : nil
        settings.interactiveSudo = interactiveSudo
        settings.sudo = try nonEmpty(sudo, flag: "--sudo")
        return SessionOverrides(settings: settings, hostname: try nonEmpty(hostname, flag: "--hostname"))
    }

    private func nonEmpty(_ value: String?, flag: String) throws -> String? {
        guard let value else { return nil }
        guard !value.isEmpty else { throw ValidationError("\(flag) needs a value that is not empty") }
        return value
    }
}
