import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// A runner that also writes every command and its full output into one log file per node.
///
/// It exists for `--log-dir` / `set logDir`: after a fleet deploy, `DIR/NODE.log` holds every
/// command deploysh ran for that node (found by its ssh destination in the argv), with its
/// stderr lines, stdout and exit status; commands for no node (the local build) go to `local.log`.
/// Nodes that share one ssh destination share one log, `DIR/NODE1+NODE2.log`.
package struct LoggingRunner: CommandRunner {
    package var base: any CommandRunner
    package var directory: String
    /// ssh destinations (`user@host`) and the node each belongs to.
    package var nodeByDestination: [String: String]
    private let files = LogFiles()

    package init(base: any CommandRunner, directory: String, nodeByDestination: [String: String]) {
        self.base = base
        self.directory = directory
        self.nodeByDestination = nodeByDestination
    }

    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?
    ) async throws -> CommandResult {
        try await logging(invocation, onStandardErrorLine) { base, invocation, onLine in
            try await base.run(invocation, onStandardErrorLine: onLine)
        }
    }

    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?,
        onStandardOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws -> CommandResult {
        try await logging(invocation, onStandardErrorLine) { base, invocation, onLine in
            try await base.run(invocation, onStandardErrorLine: onLine, onStandardOutput: onStandardOutput)
        }
    }

    /// Runs `invocation` through `run`, then writes it, its stderr lines and its result to its log.
    ///
    /// Each command's block is written whole when the command ends: commands of one node run
    /// concurrently (a node's ssh master, its profiles' steps, `exec` with a copy), and lines
    /// written as they came would land under another command's header.
    private func logging(
        _ invocation: Invocation,
        _ onStandardErrorLine: (@Sendable (String) -> Void)?,
        _ run: (any CommandRunner, Invocation, @escaping @Sendable (String) -> Void) async throws -> CommandResult
    ) async throws -> CommandResult {
        let file = directory + "/" + Self.fileName(node(for: invocation) ?? "local") + ".log"
        let block = LogBlock("$ \(invocation.commandLine)\n")
        let result: CommandResult
        do {
            result = try await run(base, invocation) { line in
                block.append("  " + line + "\n")
                onStandardErrorLine?(line)
            }
        } catch {
            block.append("  (\(error is CancellationError ? "cancelled" : "not run: \(error)"))\n")
            files.append(file, block.text)
            throw error
        }
        let output =
            result.standardOutput.isEmpty
            ? "" : result.standardOutput.split(separator: "\n").map { "  > " + $0 + "\n" }.joined()
        block.append(output + "  (\(result.status))\n")
        files.append(file, block.text)
        return result
    }

    /// The node a command is for: the first destination it names (`DEST`, `ssh://DEST`, `ssh-ng://DEST`).
    func node(for invocation: Invocation) -> String? {
        for argument in invocation.arguments {
            if let node = nodeByDestination[argument] { return node }
            for scheme in ["ssh://", "ssh-ng://"] where argument.hasPrefix(scheme) {
                if let node = nodeByDestination[String(argument.dropFirst(scheme.count))] { return node }
            }
        }
        return nil
    }

    /// A node name as a file name: no `/`, no leading dot.
    static func fileName(_ node: String) -> String {
        let safe = node.map { $0 == "/" || $0 == "\0" ? "_" : $0 }
        return (safe.first == "." ? "_" : "") + String(safe)
    }
}

/// One command's part of a log, collected while its stderr lines arrive (from any thread).
private final class LogBlock: Sendable {
    private let collected: Mutex<String>

    init(_ header: String) {
        collected = Mutex(header)
    }

    func append(_ text: String) {
        collected.withLock { $0 += text }
    }

    var text: String { collected.withLock { $0 } }
}

/// Appends to log files from concurrent tasks, one write at a time.
private final class LogFiles: Sendable {
    private let lock = Mutex(())

    func append(_ path: String, _ text: String) {
        lock.withLock { _ in
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                bytes = bytes.dropFirst(written)
            }
        }
    }
}
