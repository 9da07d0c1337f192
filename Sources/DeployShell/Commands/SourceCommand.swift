import ArgumentParser
import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `source FILE`: runs a script inside the current session (its overrides and selection persist).
package struct SourceCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Run the commands of a script file in this session.",
        discussion: "Example: source inspect.dsh"
    )

    @Argument(help: "The script file.")
    var file: String

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        guard session.sourceDepth < 16 else { throw SessionError.sourceTooDeep(file: file) }
        let text = try ScriptFile.read(file)
        var source = ScriptSource(text: text, file: file)
        session.sourceDepth += 1
        defer { session.sourceDepth -= 1 }
        let outcome = await Interpreter(session: session).run(&source, interactive: false)
        switch outcome {
        case .success: return MessageReport("")
        case .failed: throw ScriptFailed(file: file)
        case .interrupted: throw CancellationError()
        }
    }
}

/// A sourced script stopped at an error (already printed with its location).
package struct ScriptFailed: UserFacingError {
    var file: String

    package var message: String { "script '\(file)' failed" }
}
