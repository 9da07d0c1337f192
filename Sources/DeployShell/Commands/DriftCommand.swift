import ArgumentParser
import DeployKit

/// `drift [TARGET...]`: which targets do not run what the loaded flake says.
///
/// Reads each target's profile on its node (the activator's `status`: store path, generation,
/// pending activations) while the flake's store paths are evaluated, and compares them.
/// It changes nothing anywhere.
package struct DriftCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare what each target runs with what the loaded flake evaluates to.",
        discussion: """
            States: up to date, drifted, pending confirm, no generation, unreachable.
            Exits 1 unless every target is up to date. Example: drift web1 web2.system
            """
    )

    @Argument(help: "Targets; default: the selection, else every profile of the flake.")
    var targets: [String] = []

    package init() {}

    /// Evaluates and reads at once: one `nix eval` for the store paths, and the nodes
    /// concurrently (bounded by `jobs`), each with one activator `status` per profile.
    package mutating func run(in session: Session) async throws -> any Report {
        let config = try session.requireConfig()
        let refs: [ProfileRef]
        if targets.isEmpty && session.selection.isEmpty {
            refs = config.nodes.flatMap { node in node.profiles.map { ProfileRef(node: node.name, profile: $0.name) } }
        } else {
            refs = try SelectCommand.targets(targets, in: session, command: "drift")
        }
        let profiles = try refs.map { try session.resolve($0) }
        let engine = try await session.services()
        // A bad destination is an error in the input: refused before any node is asked.
        for profile in profiles { _ = try engine.remote.destination(for: profile) }
        let deployment = session.deployment()
        let request = DeploymentRequest(targets: .profiles(refs), options: DeployOptions())
        let loaded = session.loaded
        async let evaluated = deployment.prepare(request, loaded: loaded)
        async let reads = engine.activation.statuses(of: profiles, jobs: session.settings.effectiveJobs)
        let expected = Dictionary(
            try await evaluated.targets.map { ($0.ref, $0.storePath) },
            uniquingKeysWith: { first, _ in first }
        )
        return DriftReport(targets: try await reads.map { DriftReport.Row($0, expected: expected[$0.ref]) })
    }
}

/// `{"targets":[{"target","node","profile","state","generation","running","expected","pending",
/// "error","hint"}],"ok"}`; a failure (exit 1) unless every target is up to date.
package struct DriftReport: Report {
    struct Row: Encodable {
        var target: String
        var node: String
        var profile: String
        /// `up to date`, `drifted`, `pending confirm`, `no generation` or `unreachable`.
        var state: String
        var generation: Int?
        /// What the profile points to on the node.
        var running: String?
        /// What the flake evaluates to.
        var expected: String?
        /// Ids of activations waiting for `confirm`.
        var pending: [String]?
        var error: String?
        var hint: String?

        init(_ read: ProfileStatusRead, expected: String?) {
            target = read.ref.description
            node = read.ref.node
            profile = read.ref.profile
            self.expected = expected
            switch read.result {
            case .failure(let failure):
                state = "unreachable"
                error = failure.message
                hint = failure.hint
            case .success(let status):
                generation = status.generation
                running = status.storePath
                pending = status.pending.isEmpty ? nil : status.pending
                if status.storePath == nil {
                    state = "no generation"
                } else if !status.pending.isEmpty {
                    state = "pending confirm"
                } else if status.storePath == expected {
                    state = "up to date"
                } else {
                    state = "drifted"
                }
            }
        }

        var detail: String {
            switch state {
            case "drifted": "running \(running ?? "?"), flake says \(expected ?? "?")"
            case "pending confirm": "running \(running ?? "?") until confirmed or rolled back"
            case "unreachable": error ?? ""
            case "no generation": "the profile does not exist; flake says \(expected ?? "?")"
            default: running ?? ""
            }
        }
    }

    var targets: [Row]

    package var isFailure: Bool { targets.contains { $0.state != "up to date" } }

    enum CodingKeys: String, CodingKey { case targets, ok }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(targets, forKey: .targets)
        try container.encode(!isFailure, forKey: .ok)
    }

    package func text(style: TextStyle) -> String {
        let counts = Dictionary(grouping: targets, by: \.state).map { "\($0.value.count) \($0.key)" }.sorted()
        let table = Table(
            header: ["TARGET", "STATE", "GEN", "DETAIL"],
            rows: targets.map { row in
                [row.target, row.state, row.generation.map(String.init) ?? "-", row.detail]
            }
        )
        return style.bold("drift: " + counts.joined(separator: ", ")) + "\n" + table.render(style: style)
    }
}
