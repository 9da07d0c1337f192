import DeployKit
import DeployShell

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

extension Launch {
    /// Opens the session's transcript under its state directory, with the bounds of
    /// `DEPLOYSH_TRANSCRIPT_SESSIONS` / `DEPLOYSH_TRANSCRIPT_MB`; a failure is a warning, never
    /// a reason not to run.
    @MainActor
    static func startTranscript(_ session: Session, face: String) {
        let environment = ProcessEnvironment.values(["DEPLOYSH_TRANSCRIPT_SESSIONS", "DEPLOYSH_TRANSCRIPT_MB"])
        let store = TranscriptStore(stateDirectory: session.environment.stateDirectory, environment: environment)
        do {
            try session.startTranscript(in: store, face: face, argv: CommandLine.arguments)
        } catch {
            session.console.warn(DiagnosticPrinter.describe(error).message + "; this session keeps no transcript")
        }
    }
}
