/// The version deploysh reports (REPL banner, `--version`, `deploysh deploy -V`): one constant,
/// bumped on release.
package enum DeployshVersion {
    package static let current = "0.1.0"
}
