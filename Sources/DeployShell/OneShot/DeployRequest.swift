import DeployKit

/// One `deploysh deploy` as typed values: what to deploy, with which overrides and options.
///
/// The one-shot command line becomes this value, and ``run(in:ask:)`` drives the engine with
/// it directly. Targets stay parsed values from here on, so a name with `:`, `/`, `"`, `#`,
/// blanks or a leading `-` reaches the engine exactly as the person wrote it.
package struct DeployRequest: Sendable, Hashable {
    /// The targets in the order given; a pattern without a flake means the flake in `.`.
    package var targets: [TargetPattern]
    /// Settings from the flags (`--ssh-user`, `--magic-rollback`, ...), above every flake level.
    package var overrides: SessionOverrides
    package var dryActivate: Bool
    package var boot: Bool
    /// Skip `nix flake check` and the schema check (`-s`).
    package var skipChecks: Bool
    /// Roll back targets already activated when a later one fails (deploy-rs's default: on).
    package var rollbackSucceeded: Bool
    package var jobs: Int?
    package var keepGoing: Bool
    /// Show the plan and each target's closure diff, then ask before deploying (`-i`).
    package var interactive: Bool
    /// Print every command deploysh runs (`-d`).
    package var debugLogs: Bool
    package var logDirectory: String?
    /// Keep a result link per built profile (`-k`), under ``resultPath`` or `./.deploy-gc`.
    package var keepResult: Bool
    package var resultPath: String?
    /// Let `nix copy` check signatures (`-c`).
    package var checksSignatures: Bool
    /// Arguments after `--`, for `nix build`, `nix eval` and `nix flake check`.
    package var extraBuildArguments: [String]

    /// `--batches`, `--max-failures`, `--on-failure`, `--pause-after` (above the flake's `rollout`).
    package var rollout = Rollout.Overrides()
    /// `--skip-health-checks`.
    package var skipsHealthChecks = false
    /// `--skip-pre-deploy-checks`.
    package var skipsPreDeployChecks = false
    /// `--push-to`, `--pull-from`, `--cache-key`, `--no-fallback` (above the flake's `binaryCache`).
    package var cache = CacheOptions()
    /// `--show-output`: each done target's whole activation output on a terminal, not its last lines.
    package var showsAllOutput = false

    /// deploy-rs's default place for result links.
    package static let defaultResultPath = "./.deploy-gc"

    package init(
        targets: [TargetPattern] = [TargetPattern(flake: ".", node: "*")],
        overrides: SessionOverrides = SessionOverrides(),
        dryActivate: Bool = false,
        boot: Bool = false,
        skipChecks: Bool = false,
        rollbackSucceeded: Bool = true,
        jobs: Int? = nil,
        keepGoing: Bool = false,
        interactive: Bool = false,
        debugLogs: Bool = false,
        logDirectory: String? = nil,
        keepResult: Bool = false,
        resultPath: String? = nil,
        checksSignatures: Bool = false,
        extraBuildArguments: [String] = []
    ) {
        self.targets = targets
        self.overrides = overrides
        self.dryActivate = dryActivate
        self.boot = boot
        self.skipChecks = skipChecks
        self.rollbackSucceeded = rollbackSucceeded
        self.jobs = jobs
        self.keepGoing = keepGoing
        self.interactive = interactive
        self.debugLogs = debugLogs
        self.logDirectory = logDirectory
        self.keepResult = keepResult
        self.resultPath = resultPath
        self.checksSignatures = checksSignatures
        self.extraBuildArguments = extraBuildArguments
    }

    /// How the engine runs the deploy.
    package var deployOptions: DeployOptions {
        var options = DeployOptions(
            mode: dryActivate ? .dryActivate : (boot ? .boot : .switch),
            jobs: jobs ?? DeployOptions.defaultJobs,
            keepGoing: keepGoing,
            rollbackSucceeded: rollbackSucceeded
        )
        options.rollout = rollout
        options.runsHealthChecks = !skipsHealthChecks
        options.runsPreDeployChecks = !skipsPreDeployChecks
        options.cache = cache
        return options
    }

    /// Where result links go, or `nil` without `-k` (deploy-rs ignores `-r` without `-k`).
    package var resultDirectory: String? {
        keepResult ? resultPath ?? Self.defaultResultPath : nil
    }
}
