#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Tells whether two flake references written by a person name the same flake.
///
/// A target may repeat the flake (`.#web1`, `path:/srv/fleet#web1`); deploysh acts on the
/// loaded flake only, so a target naming another one must be refused rather than silently
/// applied to the loaded flake. Local paths are compared after `path:` is dropped, made
/// absolute and stripped of a trailing `/`; other references (`github:o/r`) must match exactly.
package enum FlakeReference {
    /// Whether `first` and `second` name the same flake.
    ///
    /// - Parameter directory: the directory relative paths are read from (the working directory).
    package static func same(
        _ first: String,
        _ second: String,
        directory: String = FileManager.default.currentDirectoryPath
    ) -> Bool {
        normalised(first, directory: directory) == normalised(second, directory: directory)
    }

    private static func normalised(_ reference: String, directory: String) -> String {
        var path = reference.hasPrefix("path:") ? String(reference.dropFirst(5)) : reference
        let isLocal = path.hasPrefix("/") || path.hasPrefix(".") || !path.contains(":")
        guard isLocal, !path.contains("?") else { return reference }
        if !path.hasPrefix("/") { path = directory + "/" + path }
        return "path:" + TargetPathRules.normalised(profilePath: URL(fileURLWithPath: path).standardized.path)
    }
}
