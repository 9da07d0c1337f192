import DeployKit

/// The result of a write-side command: one row per target, and whether any failed.
///
/// JSON: `{"step":..,"targets":[{"target","node","profile","result","generation","storePath","message"}]}`.
package struct StepReport: Report {
    package struct Row: Encodable, Sendable {
        var target: String
        var node: String
        var profile: String
        var result: String
        var generation: Int?
        var storePath: String?
        var message: String?

        init(
            _ ref: ProfileRef,
            result: String,
            generation: Int? = nil,
            storePath: String? = nil,
            message: String? = nil
        ) {
            target = ref.description
            node = ref.node
            profile = ref.profile
            self.result = result
            self.generation = generation
            self.storePath = storePath
            self.message = message
        }
    }

    var step: String
    var targets: [Row]
    var failed: Bool

    package var isFailure: Bool { failed }

    enum CodingKeys: String, CodingKey { case step, targets, ok }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step, forKey: .step)
        try container.encode(targets, forKey: .targets)
        try container.encode(!failed, forKey: .ok)
    }

    package func text(style: TextStyle) -> String {
        let table = Table(
            header: ["TARGET", "RESULT", "GENERATION", "DETAIL"],
            rows: targets.map {
                [$0.target, $0.result, $0.generation.map(String.init) ?? "-", $0.message ?? $0.storePath ?? ""]
            }
        )
        return table.render(style: style)
    }
}
