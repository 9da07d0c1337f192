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
/// SIGTERM and SIGHUP (a CI runner cancelled, a terminal closed, `systemctl stop`) end deploysh
/// the way Ctrl-C ends a command: the running command is cancelled (its deploy rolls pending
/// targets back and prints the summary), then the program leaves with status 128 + the signal
/// (``terminationSignal``). With no command running, `onIdleTermination` leaves at once.
///
/// A command's `Task` must be registered before it is awaited and unregistered after.
final class InterruptHandler: Sendable {
    private struct State {
        var cancelCurrent: (@Sendable () -> Void)?
        var wasInterrupted = false
        var terminationSignal: Int32?
    }

    private let state = Mutex(State())
    /// In a `Mutex` only because Dispatch's source types are not `Sendable`; used in `init` and `deinit`.
    private let sources: Mutex<[any DispatchSourceSignal]>
    private let onIdleTermination: @Sendable (_ signal: Int32) -> Void

    /// Ignores SIGINT, SIGTERM and SIGHUP for the process and starts watching them; call once,
    /// on the main thread.
    ///
    /// - Parameter onIdleTermination: What SIGTERM or SIGHUP does while no command runs (remove
    ///   the runtime directory, exit); the default exits with 128 + the signal.
    @MainActor
    init(onIdleTermination: @escaping @Sendable (_ signal: Int32) -> Void = { Glibc._exit(128 + $0) }) {
        self.onIdleTermination = onIdleTermination
        var watched = sigset_t()
        sigemptyset(&watched)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            sigaddset(&watched, number)
        }
        pthread_sigmask(SIG_BLOCK, &watched, nil)
        sources = Mutex([])
        sources.withLock { sources in
            for number in [SIGINT, SIGTERM, SIGHUP] {
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { @Sendable [weak self] in self?.received(number) }
                source.activate()
                sources.append(source)
            }
        }
    }

    /// The SIGTERM or SIGHUP that asked deploysh to end, once one arrived.
    var terminationSignal: Int32? { state.withLock { $0.terminationSignal } }

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
        sources.withLock { sources in
            for source in sources { source.cancel() }
        }
    }

    /// Makes `task` the command that Ctrl-C cancels, until `unregister()`.
    func register<Success: Sendable, Failure: Error>(_ task: Task<Success, Failure>) {
        let terminating = state.withLock { state in
            state.cancelCurrent = { task.cancel() }
            state.wasInterrupted = state.terminationSignal != nil
            return state.terminationSignal != nil
        }
        if terminating { task.cancel() }
    }

    /// Forgets the current command; returns whether a signal cancelled it.
    @discardableResult
    func unregister() -> Bool {
        state.withLock { state in
            defer {
                state.cancelCurrent = nil
                state.wasInterrupted = false
            }
            return state.wasInterrupted
        }
    }

    /// What a signal does: cancel the registered command; SIGTERM and SIGHUP also end the
    /// program (at once when no command runs).
    private func received(_ number: Int32) {
        let (cancel, idle) = state.withLock { state in
            if number != SIGINT, state.terminationSignal == nil { state.terminationSignal = number }
            state.wasInterrupted = state.cancelCurrent != nil
            return (state.cancelCurrent, state.cancelCurrent == nil && number != SIGINT)
        }
        cancel?()
        if idle { onIdleTermination(number) }
    }
}
