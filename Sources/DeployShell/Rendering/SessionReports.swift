import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// `sessions`: `{"sessions":[{"id","start","user","host","flake","commands","changed","outcome"}]}`.
package struct SessionListReport: Report {
    struct Row: Encodable {
        var id: String
        var start: String
        var user: String?
        var host: String?
        var flake: String?
        var commands: Int
        /// The targets the session changed.
        var changed: [String]
        var outcome: String

        init(_ history: SessionHistory) {
            id = history.id
            start = history.start.map { SessionTime.text($0.time) } ?? "?"
            user = history.start?.user
            host = history.start?.host
            flake = history.flake
            commands = history.commands.count
            changed = history.changes.map { ProfileRef(node: $0.ref.node, profile: $0.ref.profile).description }
            outcome = history.outcome
        }
    }

    var sessions: [Row]

    package func text(style: TextStyle) -> String {
        guard !sessions.isEmpty else { return "no session transcripts yet" }
        return Table(
            header: ["ID", "START", "USER", "FLAKE", "COMMANDS", "CHANGED", "OUTCOME"],
            rows: sessions.map {
                [
                    $0.id, $0.start, $0.user ?? "-", $0.flake ?? "-", String($0.commands),
                    $0.changed.isEmpty ? "-" : $0.changed.joined(separator: ","), $0.outcome,
                ]
            }
        ).render(style: style)
    }
}

/// `sessions script ID`: `{"id","script"}`; the text is the script itself.
package struct SessionScriptReport: Report {
    var id: String
    var script: String

    package func text(style: TextStyle) -> String { script }
}

/// `sessions show ID`: the transcript read for people; with `--json`, `{"id","lines":[..]}`.
package struct SessionShowReport: Report {
    var id: String
    var lines: [TranscriptLine]
    var outcome: String

    init(_ history: SessionHistory) {
        id = history.id
        lines = history.lines
        outcome = history.outcome
    }

    enum CodingKeys: String, CodingKey { case id, lines, outcome }

    package func text(style: TextStyle) -> String {
        var text: [String] = []
        for line in lines {
            let time = SessionTime.clock(line.time) + " "
            switch line.type {
            case .start:
                text.append(style.bold("session \(line.id ?? id)") + " (deploysh \(line.version ?? "?"))")
                text.append("  started \(SessionTime.text(line.time)) by \(line.user ?? "?")@\(line.host ?? "?")")
                text.append(
                    "  in \(line.cwd ?? "?") as \(line.face ?? "?"): \((line.argv ?? []).joined(separator: " "))"
                )
            case .flake:
                let pinned = [line.revision.map { "rev " + $0 }, line.narHash].compactMap { $0 }
                text.append(
                    time + "flake \(line.flake ?? "?")" + (pinned.isEmpty ? "" : " (\(pinned.joined(separator: ", ")))")
                )
            case .command:
                let location = line.location.map { "\($0): " } ?? ""
                text.append(time + style.bold("> ") + location + DisplayText.visible(line.text ?? ""))
            case .plan:
                let targets = (line.targets ?? []).map { "\($0.target) [\(($0.steps ?? []).joined(separator: " "))]" }
                text.append(time + "  plan: " + targets.joined(separator: ", "))
            case .event:
                let target = line.target.map { "[\($0)] " } ?? "[all] "
                let message = line.message.map { ": " + DisplayText.visible($0) } ?? ""
                text.append(time + "  " + target + (line.step ?? "") + " " + (line.kind ?? "") + message)
            case .summary:
                text.append(time + "  summary (\(line.ok == true ? "ok" : "not ok")):")
                for row in line.targets ?? [] {
                    let before = row.generationBefore.map(String.init) ?? "-"
                    let after = row.generationAfter.map(String.init) ?? "-"
                    text.append(
                        "    \(row.target) \(row.state ?? "?") \(before) -> \(after)"
                            + (row.error.map { ": " + DisplayText.visible($0) } ?? "")
                    )
                }
            case .generation:
                let generation = line.generation.map { "generation \($0)" } ?? "no generation"
                text.append(time + "  [\(line.target ?? "?")] was on \(generation)")
            case .error:
                text.append(time + "  " + style.red("error: ") + DisplayText.visible(line.message ?? ""))
            case .done:
                if line.outcome != "ok" { text.append(time + "  (\(line.outcome ?? "?"))") }
            case .end:
                text.append(time + "end: exit status \(line.status.map(String.init) ?? "?")")
            }
        }
        if lines.last?.type != .end { text.append("(the transcript ends here: \(outcome))") }
        return text.joined(separator: "\n")
    }
}

/// Times of transcript lines for people, in UTC.
enum SessionTime {
    /// `2026-12-07 23:30:00Z`.
    static func text(_ time: Double) -> String {
        let parts = components(time)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) " + clock(time) + "Z"
    }

    /// `23:30:00`.
    static func clock(_ time: Double) -> String {
        let parts = components(time)
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    private static func components(_ time: Double) -> tm {
        var seconds = time_t(time)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return parts
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
