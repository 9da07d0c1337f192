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

    package init(path: String, severity: Severity, message: String) {
        self.path = path
        self.severity = severity
        self.message = message
    }

    /// `path: message`.
    package var description: String { "\(path): \(message)" }
}
