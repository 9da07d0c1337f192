import Dispatch

#if canImport(FoundationEssentials)
    import Glibc
#else
    import Foundation
#endif

/// Follows SIGWINCH: when the terminal is resized, the live block is drawn again at once for
/// the new width (between resizes, the block's ticker redraws only while a step runs).
///
/// Why not a `DispatchSource` signal source (as ``InterruptHandler`` uses for SIGINT): on Linux,
/// libdispatch's handler blocks the signal in each thread it lands on and raises it again, so
/// that it stays pending for its `signalfd`. SIGWINCH would end up blocked in the thread that
/// runs libedit, whose own handler (`EL_SIGNAL`: it resizes the line being edited, then calls
/// the handler it replaced) would never run again. So this is a plain `sigaction` handler that
/// writes one byte to a pipe (async-signal-safe, and no signal mask changes), and a dispatch read
/// source on the pipe calls `onResize` off the signal context. While `el_gets` runs, libedit's
/// handler comes first, resizes the line, then passes the signal on to this one.
enum WindowResize {
    /// The pipe's write end, for the signal handler (a C function pointer captures nothing).
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    /// Kept for the life of the process; set once, on the main thread, before any other thread reads it.
    nonisolated(unsafe) private static var source: (any DispatchSourceRead)?

    /// Starts following SIGWINCH; call once, before the REPL's first prompt.
    @MainActor
    static func follow(_ onResize: @escaping @Sendable () -> Void) {
        guard source == nil else { return }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        writeEnd = ends[1]
        let reader = ends[0]
        let readSource = DispatchSource.makeReadSource(fileDescriptor: reader, queue: .global())
        readSource.setEventHandler { @Sendable in
            // Several resizes in a row make one redraw: drain the pipe, then draw.
            var buffer = [UInt8](repeating: 0, count: 64)
            while buffer.withUnsafeMutableBytes({ read(reader, $0.baseAddress, $0.count) }) > 0 {}
            onResize()
        }
        readSource.activate()
        source = readSource
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let saved = errno
            var byte: UInt8 = 1
            _ = write(WindowResize.writeEnd, &byte, 1)
            errno = saved
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGWINCH, &action, nil)
    }
}
