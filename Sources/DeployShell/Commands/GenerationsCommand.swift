import ArgumentParser
import DeployKit

/// `generations [TARGET...]`: the profile's generations on each target, current one marked.
package struct GenerationsCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "generations",
        abstract: "List a profile's generations on its target (current one marked).",
        discussion: "Example: generations web1.system"
    )

    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let refs = try SelectCommand.targets(targets, in: session, command: "generations")
        let engine = try await Engine(session: session)
        var entries: [GenerationsReport.Entry] = []
        for ref in refs {
            let generations = try await engine.activation.generations(try session.resolve(ref))
            entries.append(
                .init(target: ref.description, node: ref.node, profile: ref.profile, generations: generations)
            )
        }
        return GenerationsReport(targets: entries)
    }
}

/// `{"targets":[{"target","node","profile","generations":[{"number","storePath","isCurrent","date"}]}]}`.
package struct GenerationsReport: Report {
    struct Entry: Encodable {
        var target: String
        var node: String
        var profile: String
        var generations: [Generation]
    }
    var targets: [Entry]

    package func text(style: TextStyle) -> String {
        targets.map { entry in
            let rows = entry.generations.map {
                [($0.isCurrent ? "* " : "  ") + String($0.number), $0.date, $0.storePath]
            }
            let body =
                rows.isEmpty
                ? "  (no generations)" : Table(header: ["GEN", "DATE", "STORE PATH"], rows: rows).render(style: style)
            return style.bold(entry.target) + "\n" + body
        }.joined(separator: "\n\n")
    }
}

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
        let deployTargets = try await PlanCommand.evaluate(targets, in: session, command: "diff")
        let engine = try await Engine(session: session)
        var entries: [DiffReport.Entry] = []
        for target in deployTargets {
            let builtOnTarget = session.remoteBuilt.contains(target.ref)
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
