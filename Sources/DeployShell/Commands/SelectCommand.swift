import ArgumentParser
import DeployKit

/// `select TARGET...`: chooses the profiles later commands act on (deploy-rs syntax and globs).
///
/// `--add` extends the selection (keeping its order, without repeats), `--clear` empties it.
package struct SelectCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Select targets: node, node.profile, .#node, globs like 'web-*' or '*.system'.",
        discussion: """
            Targets replace the selection; with --add they are added to it.
            Examples: select web1.system 'db-*'; select --add web2; select --clear
            """
    )

    @Flag(help: "Add the targets to the selection instead of replacing it.")
    var add = false

    @Flag(help: "Empty the selection (no targets allowed).")
    var clear = false

    @Argument(help: "Targets; none shows the current selection.")
    var targets: [String] = []

    package init() {}

    package func validate() throws {
        if clear && add { throw ValidationError("--clear and --add cannot be used together") }
        if clear && !targets.isEmpty { throw ValidationError("--clear takes no targets") }
        if add && targets.isEmpty { throw ValidationError("--add needs at least one target") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        if clear {
            session.select([])
        } else if !targets.isEmpty {
            let resolved = try Self.resolve(targets, in: session)
            if add {
                var seen = Set(session.selection)
                session.select(session.selection + resolved.filter { seen.insert($0).inserted })
            } else {
                session.select(resolved)
            }
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
