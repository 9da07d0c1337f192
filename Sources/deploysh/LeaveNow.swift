import DeployShell

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The second Ctrl-C: leave at once, saying what the nodes are left doing (their watchdogs
/// finish the safety net), after removing the runtime directory.
enum LeaveNow {
    static func leave(_ session: Session) {
        Task { @MainActor in
            session.console.finishLive()
            session.console.warn(session.leavingNowReport() ?? "leaving now; nothing was running on the nodes")
            RuntimeDirectory.remove(session.environment.runtimeDirectory)
            Glibc._exit(130)
        }
    }
}
