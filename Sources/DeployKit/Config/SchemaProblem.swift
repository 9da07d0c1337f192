/// One way the `deploy` output departs from deploy-rs's schema, found by `SchemaChecker`.
///
/// Problems are values rather than thrown errors so that `load` can still list nodes and a
/// `check` command can show every problem at once.
package struct SchemaProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a problem is.
    package enum Severity: String, Sendable, Hashable, Codable {
        /// deploy-rs would refuse this `deploy` output.
        case error
        /// Probably a mistake, such as an unknown attribute that deploy-rs ignores.
        case warning
    }

    /// Where, as attribute names joined by dots from `deploy` (`nodes.web.confirmTimeout`);
    /// a name with a dot or another special character is quoted. `deploy` for the output itself.
    package var path: String
    package var severity: Severity
    /// What is wrong, lower-case, without a trailing period.
    package var message: String
    /// Whether this error refuses only deploying the nodes it applies to, not loading the flake.
    ///
    /// deploy-rs accepts a `user` or `sshUser` with `/` or a blank; deploysh loads such a flake
    /// and refuses only to connect to the nodes that use it (`RemoteSession.destination(for:)`).
    package var refusesOnlyDeploying = false

    package init(path: String, severity: Severity, message: String, refusesOnlyDeploying: Bool = false) {
        self.path = path
        self.severity = severity
        self.message = message
        self.refusesOnlyDeploying = refusesOnlyDeploying
    }

    /// Whether this problem refuses the whole `deploy` output (at `load` and before any deploy).
    package var refusesOutput: Bool { severity == .error && !refusesOnlyDeploying }

    /// `path: message`.
    package var description: String { "\(path): \(message)" }

    private enum CodingKeys: String, CodingKey {
        case path, severity, message
    }
}
