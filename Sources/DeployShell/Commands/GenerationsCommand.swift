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

    /// Reads every target's generations, nodes concurrently (bounded by `jobs`); a node that
    /// cannot be read is its own failed row, the others are listed all the same.
    package mutating func run(in session: Session) async throws -> any Report {
        let refs = try SelectCommand.targets(targets, in: session, command: "generations")
        let profiles = try refs.map { try session.resolve($0) }
        let engine = try await session.services()
        // A bad destination is an error in the input: refused before any node is asked.
        for profile in profiles { _ = try engine.remote.destination(for: profile) }
        let reads = try await engine.activation.generations(
            of: profiles,
            jobs: session.settings.effectiveJobs
        )
        let report = GenerationsReport(targets: reads.map(GenerationsReport.Entry.init))
        let failures = reads.compactMap { read in
            if case .failure(let failure) = read.result { failure } else { nil }
        }
        guard let first = failures.first else { return report }
        // Every row first, then the error (as `deploy` shows its summary before failing).
        session.console.show(report)
        guard failures.count > 1 else { throw first }
        var error = first
        error.reason += " (and \(failures.count - 1) more failed)"
        throw error
    }
}

/// `{"targets":[{"target","node","profile","generations":[{"number","storePath","isCurrent","date"}],
/// "error","hint"}],"ok"}`: one entry per target, with the error when its node could not be read.
package struct GenerationsReport: Report {
    struct Entry: Encodable {
        var target: String
        var node: String
        var profile: String
        var generations: [Generation]
        var error: String?
        var hint: String?

        init(_ read: GenerationsRead) {
            target = read.ref.description
            node = read.ref.node
            profile = read.ref.profile
            switch read.result {
            case .success(let generations):
                self.generations = generations
            case .failure(let failure):
                generations = []
                error = failure.message
                hint = failure.hint
            }
        }
    }
    var targets: [Entry]

    package var isFailure: Bool { targets.contains { $0.error != nil } }

    package var failureMessage: String? {
        let failed = targets.filter { $0.error != nil }.map(\.target)
        return "cannot read the generations of " + failed.joined(separator: ", ")
    }

    enum CodingKeys: String, CodingKey { case targets, ok }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(targets, forKey: .targets)
        try container.encode(!isFailure, forKey: .ok)
    }

    package func text(style: TextStyle) -> String {
        targets.map { entry in
            let rows = entry.generations.map {
                [($0.isCurrent ? "* " : "  ") + String($0.number), $0.date, $0.storePath]
            }
            let body: String
            if let error = entry.error {
                body = "  " + style.red("error: " + error) + (entry.hint.map { "\n  hint: " + $0 } ?? "")
            } else {
                body =
                    rows.isEmpty
                    ? "  (no generations)"
                    : Table(header: ["GEN", "DATE", "STORE PATH"], rows: rows).render(style: style)
            }
            return style.bold(entry.target) + "\n" + body
        }.joined(separator: "\n\n")
    }
}
