import DeployKit

/// What a session needs from the world: a runner, the local user and where state lives.
///
/// Injected so tests never read the developer's real environment.
package struct ShellEnvironment: Sendable {
    package var runner: any CommandRunner
    /// The deployer's user name, the default ssh and profile user.
    package var localUser: String
    /// `${XDG_STATE_HOME:-~/.local/state}/deploysh`, for history and local state.
    package var stateDirectory: String
    /// Directory for ssh control sockets and other per-process temporary files.
    package var runtimeDirectory: String
    /// Asks a person for a host's sudo password (interactiveSudo); `nil` when nobody can answer.
    package var sudoPassword: (@Sendable (_ host: String) async throws -> String?)?

    package init(
        runner: any CommandRunner,
        localUser: String,
        stateDirectory: String,
        runtimeDirectory: String,
        sudoPassword: (@Sendable (_ host: String) async throws -> String?)? = nil
    ) {
        self.runner = runner
        self.sudoPassword = sudoPassword
        self.localUser = localUser
        self.stateDirectory = stateDirectory
        self.runtimeDirectory = runtimeDirectory
    }

    /// Resolves the state directory from environment variables, as the XDG spec says.
    package static func stateDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/deploysh" }
        return (environment["HOME"] ?? "/tmp") + "/.local/state/deploysh"
    }
}
