import DeployKit

/// `undo`: the rollback summary of the targets it returned, and every target it left alone
/// with the reason: `{"event":"undo","summary":{..},"skipped":[{"target","reason","hint"}],"unchanged":[..],"ok"}`.
package struct UndoReport: Report {
    package struct Skipped: Encodable, Sendable {
        var target: String
        var reason: String
        var hint: String?
    }

    var summary: DeploySummaryReport?
    var skipped: [Skipped]
    var unchanged: [Skipped]

    package var isFailure: Bool { !skipped.isEmpty || summary?.isFailure == true }

    enum CodingKeys: String, CodingKey { case event, summary, skipped, unchanged, ok }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("undo", forKey: .event)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(unchanged, forKey: .unchanged)
        try container.encode(!isFailure, forKey: .ok)
    }

    package func text(style: TextStyle) -> String {
        var parts: [String] = []
        if let summary { parts.append(summary.text(style: style)) }
        for entry in unchanged { parts.append("\(entry.target): \(entry.reason)") }
        for entry in skipped { parts.append(style.yellow("not undone: ") + DisplayText.visible(entry.reason)) }
        return parts.joined(separator: "\n")
    }
}
