import ArgumentParser
import DeployKit

/// `select TARGET...`: chooses the profiles later commands act on (deploy-rs syntax and globs).
package struct SelectCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Select targets: node, node.profile, .#node, globs like 'web-*' or '*.system'.",
        discussion: "Example: select web1.system 'db-*'"
    )

    @Argument(help: "Targets; none shows the current selection.")
    var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        if !targets.isEmpty {
            session.select(try Self.resolve(targets, in: session))
        }
        return SelectionReport(selection: session.selection)
    }

    /// Resolves target words against the loaded flake; a flake prefix must be the loaded one.
    @MainActor
    package static func resolve(_ targets: [String], in session: Session) throws -> [ProfileRef] {
        let config = try session.requireConfig()
        let patterns = try targets.map { word throws(SelectionError) in try TargetParser.parse(word) }
        for (word, pattern) in zip(targets, patterns) {
            if let flake = pattern.flake, let loaded = session.flake, !FlakeReference.same(flake, loaded) {
                throw SelectionError.otherFlake(target: word, flake: flake, loaded: loaded)
            }
        }
        return try Selector.resolve(patterns, in: config)
    }

    /// The explicit targets if any, else the selection, else an error naming the command.
    @MainActor
    package static func targets(_ targets: [String], in session: Session, command: String) throws -> [ProfileRef] {
        if !targets.isEmpty { return try resolve(targets, in: session) }
        guard !session.selection.isEmpty else { throw SessionError.nothingSelected(command: command) }
        return session.selection
    }
}

/// The selection: `{"selection":[{"node":..,"profile":..}]}`.
package struct SelectionReport: Report {
    var selection: [ProfileRef]

    package func text(style: TextStyle) -> String {
        if selection.isEmpty { return "nothing selected" }
        return "selected \(selection.count): " + selection.map(\.description).joined(separator: ", ")
    }
}
