import ArgumentParser
import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `load [FLAKE]`: evaluates the flake's `deploy` output once, without any profile's path.
package struct LoadCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Evaluate a flake's deploy output (settings and names only).",
        discussion: "Example: load path:/srv/fleet"
    )

    @Argument(help: "A flake reference: `.`, `path:/x`, `github:o/r`.")
    var flake: String = "."

    @Flag(help: "Print the `nix eval --apply` function load uses, without evaluating anything.")
    var showExpression = false

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        if showExpression { return EchoReport(echo: LoadExpression.applyFunction) }
        return try await Self.load(flake, into: session)
    }

    /// Evaluates `flake` and replaces the session's configuration with it.
    @MainActor
    package static func load(_ flake: String, into session: Session) async throws -> LoadReport {
        let loaded = try await session.deployment().load(flake)
        session.adopt(loaded)
        let config = loaded.config
        return LoadReport(
            flake: flake,
            nodes: config.nodes.count,
            profiles: config.nodes.reduce(0) { $0 + $1.profiles.count },
            evalSeconds: loaded.duration.seconds
        )
    }
}

/// `reload`: `load` again with the same flake (after editing it).
package struct ReloadCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Evaluate the loaded flake again."
    )

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        try await LoadCommand.load(try session.requireFlake(), into: session)
    }
}

/// What `load` found.
package struct LoadReport: Report {
    var flake: String
    var nodes: Int
    var profiles: Int
    var evalSeconds: Double

    package func text(style: TextStyle) -> String {
        let time = DecimalText.fixed(evalSeconds, digits: 2)
        return
            "loaded \(flake): \(nodes) node\(nodes == 1 ? "" : "s"), \(profiles) profile\(profiles == 1 ? "" : "s") (eval \(time) s)"
    }
}
