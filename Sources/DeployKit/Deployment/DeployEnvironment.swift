/// What the engine needs from the world for one deploy: the runner, the deployer's user, a
/// private runtime directory, where progress goes, and who answers a sudo password question.
///
/// Injected by the shell (and by tests), so the engine never reads the process environment.
package struct DeployEnvironment: Sendable {
    package var runner: any CommandRunner
    /// The deployer's user name, the default ssh and profile user.
    package var localUser: String
    /// The private directory of this process: ssh control sockets under `ssh/`, scratch files.
    package var runtimeDirectory: String
    /// deploysh's state directory (where it keeps its own binary-cache key); `nil`: none.
    package var stateDirectory: String?
    package var events: any EventSink
    /// Asks for a host's sudo password (`interactiveSudo`); `nil` when nobody can answer.
    package var sudoPassword: (@Sendable (_ host: String) async throws -> String?)?
    /// The local Nix's version when already known; detected on first need otherwise.
    package var nixVersion: NixVersion?
    /// Where this process installed the activator (kept for the whole session); `nil`: never install.
    package var activatorInstallations: ActivatorInstallations?
    /// Told every plan just before the executor runs it (the session transcript records it,
    /// so a deployer killed mid-deploy still leaves what it was doing).
    package var planObserver: (@Sendable (DeployPlan) -> Void)?
    /// Told the generation each target was on before a run changes it (see ``Executor/generationObserver``).
    package var generationObserver: (@Sendable (DeployTarget, Int?) -> Void)?

    package init(
        runner: any CommandRunner,
        localUser: String,
        runtimeDirectory: String,
        events: any EventSink = SilentEventSink(),
        sudoPassword: (@Sendable (_ host: String) async throws -> String?)? = nil,
        nixVersion: NixVersion? = nil,
        activatorInstallations: ActivatorInstallations? = nil
    ) {
        self.runner = runner
        self.localUser = localUser
        self.runtimeDirectory = runtimeDirectory
        self.events = events
        self.sudoPassword = sudoPassword
        self.nixVersion = nixVersion
        self.activatorInstallations = activatorInstallations
    }

    /// Where the ssh control sockets of this process live.
    package var controlDirectory: String { runtimeDirectory + "/ssh" }

    /// The local Nix's version: the known one, or `nix --version` asked now.
    ///
    /// - Throws: ``CommandFailure`` when `nix --version` fails, ``NixError/unknownVersion(output:)``.
    package func detectNixVersion() async throws -> NixVersion {
        if let nixVersion { return nixVersion }
        let result = try await runner.run(NixCommand.versionQuery)
        guard result.succeeded else {
            throw CommandFailure(
                result,
                summary: "cannot ask nix for its version",
                hint: "Check that `nix --version` works."
            )
        }
        guard let version = NixVersion(versionOutput: result.standardOutput) else {
            let firstLine = result.standardOutput.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw NixError.unknownVersion(output: firstLine)
        }
        return version
    }
}
