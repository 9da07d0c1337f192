/// The version deploysh reports (REPL banner, `--version`): one constant, bumped on release.
enum DeployshVersion {
    static let current = "0.1.0"
}
