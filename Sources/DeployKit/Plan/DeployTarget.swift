/// One profile ready for the write side: its resolved settings and evaluated store paths.
///
/// Built by ``ProfileEvaluator`` from a selection; every step (build, copy, activate)
/// works from these values.
package struct DeployTarget: Sendable, Hashable, Codable {
    package var resolved: ResolvedProfile
    /// The profile's output path (what the profile will point to).
    package var storePath: String
    /// The derivation that builds `storePath`, or `nil` for a plain store path.
    package var derivationPath: String?

    package init(resolved: ResolvedProfile, storePath: String, derivationPath: String?) {
        self.resolved = resolved
        self.storePath = storePath
        self.derivationPath = derivationPath
    }

    package var ref: ProfileRef { resolved.ref }
}
