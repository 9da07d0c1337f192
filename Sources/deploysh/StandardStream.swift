#if canImport(FoundationEssentials)
    import Glibc
#else
    import Foundation
#endif

/// The process's standard output, error and input through write(2) and read(2).
///
/// It exists so the executable needs only FoundationEssentials (no `FileHandle`): writes are
/// whole (partial writes and EINTR retried) and unbuffered, so nothing is lost at `exit`.
struct StandardStream: Sendable {
    static let output = StandardStream(descriptor: STDOUT_FILENO)
    static let error = StandardStream(descriptor: STDERR_FILENO)

    let descriptor: Int32

    /// Writes all of `bytes`; gives up silently when the stream is closed (EPIPE, EBADF).
    func write(_ bytes: some Sequence<UInt8>) {
        let bytes = Array(bytes)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written == -1 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// Everything on standard input until its end, decoded as UTF-8.
    static func readStandardInput() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[0..<count]
            } else if count == -1 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
