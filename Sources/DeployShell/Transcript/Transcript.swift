import DeployKit
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The open transcript file of one session: JSON lines appended as the session goes.
///
/// It exists so that a session leaves an audit log that survives its process: each line is
/// written with one `write(2)` on a file opened `O_APPEND`, with no buffering in between and
/// no `fsync`, so a deployer killed with SIGKILL leaves every line it wrote, whole (the kernel
/// has them; only a machine crash can lose the last ones). Lines from concurrent engine tasks
/// are serialized by a mutex.
package final class Transcript: Sendable {
    package let id: String
    package let path: String
    private let descriptor: Mutex<Int32>

    /// Takes over `descriptor`, a file opened for appending.
    init(id: String, path: String, descriptor: Int32) {
        self.id = id
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
        }
    }

    /// Appends `line` as one JSON object and a newline, in one `write(2)`.
    ///
    /// A failed write is dropped: the transcript must never stop a deploy.
    package func append(_ line: TranscriptLine) {
        var bytes = Array(JSONRenderer.line(line).utf8)
        bytes.append(UInt8(ascii: "\n"))
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            var offset = 0
            // One call in practice; a short write (a full disk, a signal) goes on from where it stopped.
            for _ in 0..<8 where offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer in
                    Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, bytes.count - offset)
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Closes the file; later lines are dropped.
    package func close() {
        descriptor.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    /// The current time, as transcript lines carry it.
    package static var now: Double { Date().timeIntervalSince1970 }
}
