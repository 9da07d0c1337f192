import ArgumentParser
import DeployKit

/// `diff [TARGET...]`: what a deploy would change in each target's closure.
package struct DiffCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the closure difference between each target's current profile and the new build.",
        discussion: "Example: build; diff"
    )

    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let request = try session.request(targets, options: DeployOptions(), command: "diff")
        let deployTargets = try await session.deployment().prepare(request, loaded: session.loaded, planning: false)
            .targets
        let engine = try await session.services()
        var entries: [DiffReport.Entry] = []
        for target in deployTargets {
            let builtOnTarget = session.ledger[target.ref]?.isBuiltOnTarget == true
            let diff = try await engine.differ.diff(target, builtOnTarget: builtOnTarget)
            entries.append(.init(target: target.ref.description, diff: diff))
        }
        return DiffReport(targets: entries)
    }
}

/// `{"targets":[{"target","diff":{"from","to","added","removed","changed"}}]}`.
package struct DiffReport: Report {
    struct Entry: Encodable {
        var target: String
        var diff: ClosureDiff
    }
    var targets: [Entry]

    package func text(style: TextStyle) -> String {
        targets.map { entry in
            let diff = entry.diff
            var lines = [style.bold(entry.target) + ": \(diff.from ?? "(no current profile)") -> \(diff.to)"]
            lines += diff.added.map { "  " + style.green("+ \($0)") }
            lines += diff.removed.map { "  " + style.red("- \($0)") }
            lines += diff.changed.map {
                "  ~ \($0.name): \($0.before.joined(separator: ", ")) -> \($0.after.joined(separator: ", "))"
            }
            if diff.isEmpty { lines.append("  (no changes)") }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
