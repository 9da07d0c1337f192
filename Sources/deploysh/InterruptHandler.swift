import Dispatch
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Turns Ctrl-C into cancellation of the running command, so the shell itself survives it.
///
/// This is swift-driver's pattern: SIGINT is set to `SIG_IGN` so it never kills the
/// process, and a `DispatchSource` signal source observes it anyway and cancels the `Task`
/// that the REPL registered for the command it is running. Cancellation does the rest:
/// swift-subprocess tears its children down when its task is cancelled.
///
/// How the signal travels on Linux: libdispatch installs its own SIGINT handler (replacing
/// `SIG_IGN`) that forwards the signal to its manager thread, which reads it from a
/// `signalfd` and runs the event handler. `init` waits for that handler to be installed,
/// because libedit saves and restores the SIGINT disposition around every `el_gets`, and
/// must save dispatch's, not `SIG_IGN`. `init` also blocks SIGINT on the main thread so the
/// signal stays pending for the `signalfd` rather than being handled there.
///
/// At the prompt, Ctrl-C is not a signal at all: `EditLineSource` undefines the terminal's
/// interrupt character while libedit edits and binds `^C` as a key that discards the line.
/// (Relying on libedit's `EL_SIGNAL` handler instead is racy: the `signalfd` and the
/// thread blocked in `read` compete for the same pending signal, and about half the time
/// the `signalfd` wins and the line is not reset.) A SIGINT that does arrive at the prompt
/// (`kill -INT`) reaches the event handler with no command registered and does nothing.
///
/// A command's `Task` must be registered before it is awaited and unregistered after.
final class InterruptHandler: Sendable {
    private struct State {
        var cancelCurrent: (@Sendable () -> Void)?
        var wasInterrupted = false
    }

    private let state = Mutex(State())
    /// In a `Mutex` only because Dispatch's source types are not `Sendable`; used in `init` and `deinit`.
    private let source: Mutex<any DispatchSourceSignal>

    /// Ignores SIGINT for the process and starts watching it; call once, on the main thread.
    @MainActor
    init() {
        signal(SIGINT, SIG_IGN)
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_BLOCK, &interrupt, nil)
        source = Mutex(DispatchSource.makeSignalSource(signal: SIGINT, queue: .global()))
        source.withLock { source in
            source.setEventHandler { @Sendable [weak self] in self?.interrupt() }
            source.activate()
        }
    }

    /// Waits (at most a second) until libdispatch has installed its SIGINT handler; the REPL
    /// calls it before its first prompt.
    ///
    /// libdispatch registers the source on its manager thread, asynchronously. If that happened
    /// while `el_gets` runs, libedit's `EL_SIGNAL` code would later restore the `SIG_IGN` it
    /// saved over dispatch's handler, and a Ctrl-C could then be discarded before the source
    /// sees it. Scripts and `-c` do not use libedit, so they do not wait (that saves a millisecond).
    func awaitDispatchRegistration() {
        for _ in 0..<10_000 {
            var current = sigaction()
            sigaction(SIGINT, nil, &current)
            // C function pointers are not Equatable in Swift; compare their addresses.
            let handler = current.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) } ?? 0
            if handler != unsafeBitCast(SIG_IGN, to: Int.self) { return }
            usleep(100)
        }
    }

    deinit {
        source.withLock { $0.cancel() }
    }

    /// Makes `task` the command that Ctrl-C cancels, until `unregister()`.
    func register<Success: Sendable, Failure: Error>(_ task: Task<Success, Failure>) {
        state.withLock { $0 = State(cancelCurrent: { task.cancel() }) }
    }

    /// Forgets the current command; returns whether Ctrl-C cancelled it.
    @discardableResult
    func unregister() -> Bool {
        state.withLock { state in
            defer { state = State() }
            return state.wasInterrupted
        }
    }

    /// What a SIGINT does: cancel the registered command, if there is one.
    private func interrupt() {
        let cancel = state.withLock { state in
            state.wasInterrupted = state.cancelCurrent != nil
            return state.cancelCurrent
        }
        cancel?()
    }
}
