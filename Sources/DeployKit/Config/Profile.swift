/// One profile of a node, as `load` sees it: its settings and whether it has a `path`.
///
/// The store path itself is not part of the model: `load` never evaluates it (a NixOS
/// profile takes seconds to evaluate, and a broken one must not break `load`).
/// `PlanExpression` evaluates it for the selected profiles only.
package struct Profile: Sendable, Hashable, Codable {
    package var name: String
    package var settings: Settings
    /// The `profilePath` attribute, where the profile lives on the target when set.
    package var profilePath: String?
    /// Whether the profile defines `path` (deploy-rs requires it).
    package var hasPath: Bool

    package init(name: String, settings: Settings = Settings(), profilePath: String? = nil, hasPath: Bool = true) {
        self.name = name
        self.settings = settings
        self.profilePath = profilePath
        self.hasPath = hasPath
    }

    /// Reads a profile from its attributes, ignoring attributes of the wrong type.
    ///
    /// `hasPath` is false only when `__deployshHasPath = false` says so: `LoadExpression` marks
    /// the profiles without `path` and removes the `path` of the others.
    package init(name: String, json: JSONObject) {
        self.init(
            name: name,
            settings: Settings(json: json),
            profilePath: json["profilePath"]?.stringValue,
            hasPath: json[LoadExpression.hasPathAttribute]?.boolValue ?? true
        )
    }
}
