import ArgumentParser
import DeployKit

/// `sessions [show ID | script ID]`: the transcripts of earlier sessions.
///
/// Each session (REPL, script, `-c`, one-shot) writes one; see `Transcript/`.
package struct SessionsCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List session transcripts; `show ID` prints one, `script ID` turns it into a .dsh script.",
        discussion: """
            IDs may be shortened to a unique prefix, or `last` for the newest other session.
            Example: sessions script last > replay.dsh; deploysh -f replay.dsh
            """
    )

    @Argument(help: "`show` or `script`, and a session ID; nothing lists the sessions.")
    var words: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let store = TranscriptStore(stateDirectory: session.environment.stateDirectory)
        switch words.first {
        case nil:
            let histories = store.ids().compactMap { id in
                (try? store.read(id)).map { SessionHistory(id: id, lines: $0) }
            }
            return SessionListReport(sessions: histories.map(SessionListReport.Row.init))
        case "show", "script":
            guard words.count == 2 else {
                throw SessionError.badArguments(command: "sessions", message: "'\(words[0])' takes one session ID")
            }
            let id = try store.resolve(words[1], current: session.transcript?.id)
            let history = SessionHistory(id: id, lines: try store.read(id))
            if words[0] == "script" { return SessionScriptReport(id: id, script: history.script) }
            return SessionShowReport(history)
        case let other?:
            throw SessionError.badArguments(
                command: "sessions",
                message: "unknown action '\(other)'; use `sessions`, `sessions show ID` or `sessions script ID`"
            )
        }
    }
}
