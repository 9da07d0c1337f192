/// What a person set for a whole session or one-shot run: setting overrides, Nix options, how
/// many nodes at once, where logs and result links go.
///
/// One value, owned by the shell's session (changed by `set` and `unset`) or made from the
/// one-shot command line, and read by every ``Deployment``.
package struct DeploySettings: Sendable, Hashable {
    /// Settings above every flake level (`set KEY VALUE`, `--ssh-user`, ...).
    package var overrides: SessionOverrides
    /// Extra Nix arguments and signature checking for every nix command (`-- ARGS`, `-c`).
    package var nixOptions: NixOptions
    /// Nodes deployed at once (`set jobs N`); `nil`: ``DeployOptions/defaultJobs``.
    package var jobs: Int?
    /// Where per-node logs go (`set logDir DIR`, `--log-dir`); `nil`: no logs.
    package var logDirectory: String?
    /// Where local builds keep result links (`deploy -k`), or `nil` for none.
    package var resultDirectory: String?
    /// `set batches`, `set maxFailures`, `set onFailure`: the rollout of every deploy.
    package var rollout = Rollout.Overrides()
    /// `set healthChecks off` turns the health gate off for the session.
    package var runsHealthChecks = true
    /// `set pushTo`, `set pullFrom`, `set cacheKey`, `set cacheFallback`: the binary cache of every deploy.
    package var cache = CacheOptions()
    /// `set showOutput full`: a done target's whole activation output on a terminal, not its
    /// last lines (the engine does not read it; the shell's renderer does).
    package var showsAllOutput = false

    package init(
        overrides: SessionOverrides = SessionOverrides(),
        nixOptions: NixOptions = NixOptions(),
        jobs: Int? = nil,
        logDirectory: String? = nil,
        resultDirectory: String? = nil
    ) {
        self.overrides = overrides
        self.nixOptions = nixOptions
        self.jobs = jobs
        self.logDirectory = logDirectory
        self.resultDirectory = resultDirectory
    }

    /// The jobs bound to use: the setting, else the default.
    package var effectiveJobs: Int { jobs ?? DeployOptions.defaultJobs }
}
