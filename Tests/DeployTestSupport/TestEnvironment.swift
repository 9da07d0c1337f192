import Foundation

/// Paths and settings every test shares: the repository, the built binary, Nix's settings.
///
/// Tests never read the developer's own Nix configuration: they pass these settings
/// explicitly, as `scripts/test` does.
package enum TestEnvironment {
    /// `NIX_CONFIG` for a machine with no sandbox, no binary cache and flakes enabled.
    package static let nixConfig = """
        experimental-features = nix-command flakes
        build-users-group =
        substituters =
        sandbox = false
        """

    package static var nixEnvironment: [String: String] { ["NIX_CONFIG": nixConfig] }

    /// The `XDG_STATE_HOME` of every `deploysh` binary a test starts, so its session
    /// transcripts and history never land in the developer's real home.
    package static let stateHome = NSTemporaryDirectory() + "deploysh-test-state-home"

    /// The environment changes for running the real binary: Nix's settings and ``stateHome``.
    package static var binaryEnvironment: [String: String] {
        ["NIX_CONFIG": nixConfig, "XDG_STATE_HOME": stateHome]
    }

    /// The repository root, found from this file's path.
    package static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The `deploysh` binary built next to the test bundle.
    package static var deployshBinary: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("deploysh").path)
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("deploysh").path
    }

    /// A fresh temporary directory for one test.
    package static func temporaryDirectory(_ name: String = "t") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "deploysh-\(name)-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
