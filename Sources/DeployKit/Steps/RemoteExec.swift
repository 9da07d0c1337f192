import Synchronization

/// Runs one command on several nodes over ssh, at most `jobs` at a time (`exec`).
///
/// Every word goes through `RemoteShell.quote` (by ``SSHCommand/run(_:standardInput:)``), so
/// the node runs exactly the argv given; a non-zero exit is a result, not an error.
/// The command's standard output goes to its standard error on the node (see ``remoteWords(_:)``),
/// so that every line it prints, on either stream, arrives while it runs, in the order printed,
/// as an output event.
package struct RemoteExec: Sendable {
    /// What the command did on one node.
    package struct Result: Sendable, Hashable {
        package var node: String
        package var destination: String
        /// The exit status; `nil` when ssh could not connect (see `connectionError`).
        package var exitCode: Int32?
        /// Everything the command printed, standard output and error in the order printed.
        package var standardOutput: String
        /// The last lines ssh printed when it could not connect; empty otherwise (the
        /// command's own standard error is in `standardOutput`).
        package var standardErrorTail: [String]
        /// Why the node could not be reached, when it could not.
        package var connectionError: String?

        package var succeeded: Bool { exitCode == 0 }
    }

    package var runner: any CommandRunner
    package var remote: RemoteSession
    package var events: any EventSink

    package init(runner: any CommandRunner, remote: RemoteSession, events: any EventSink) {
        self.runner = runner
        self.remote = remote
        self.events = events
    }

    /// Runs `command` on the node of each profile (one profile per node gives the ssh settings).
    ///
    /// - Returns: one result per node, in the order given.
    /// - Throws: `CancellationError` after Ctrl-C.
    package func run(_ command: [String], on profiles: [ResolvedProfile], jobs: Int) async throws -> [Result] {
        let results = ResultBox()
        try await BoundedConcurrency.forEach(Array(profiles.enumerated()), limit: jobs) { index, profile in
            results.set(index, await run(command, on: profile))
        }
        try Task.checkCancellation()
        return results.ordered(count: profiles.count)
    }

    private func run(_ command: [String], on profile: ResolvedProfile) async -> Result {
        var result = Result(
            node: profile.node,
            destination: profile.sshDestination,
            exitCode: nil,
            standardOutput: "",
            standardErrorTail: [],
            connectionError: nil
        )
        let ref = profile.ref
        let node = profile.node
        events.emit(DeployEvent(.started, node: node, step: .exec, message: RemoteShell.command(command)))
        do {
            try await remote.connect(profile)
            let events = events
            let printed = Printed()
            let group = RemoteGroup()
            let ssh = remote.ssh(for: profile)
            let output = try await runner.run(ssh.run(Self.remoteWords(command))) { line in
                if group.take(line) { return }
                printed.append(line)
                events.emit(DeployEvent(.output, node: node, step: .exec, message: line))
            }
            if output.status == .cancelled, let pgid = group.id {
                // Ctrl-C: the command must not run on after the deployer stopped waiting for it.
                // A fresh task: this one is cancelled, and the kill must still go out.
                let kill = ssh.run([
                    "sh", "-c", "kill -TERM -\"$1\" 2>/dev/null; sleep 1; kill -KILL -\"$1\" 2>/dev/null; true", "sh",
                    String(pgid),
                ])
                let runner = runner
                _ = await Task { try? await runner.run(kill) }.value
                throw CancellationError()
            }
            result.standardOutput = printed.text + output.standardOutput
            result.exitCode = output.status.exitCode
            if output.status == .exited(255) {
                result.exitCode = nil
                result.standardErrorTail = output.standardErrorTail
                result.connectionError = "ssh to \(profile.sshDestination) failed (exit status 255)"
            }
        } catch {
            result.connectionError = DeployError.from(error, target: ref, step: .connect).message
        }
        let status = result.exitCode.map { "exit status \($0)" } ?? (result.connectionError ?? "failed")
        events.emit(DeployEvent(result.succeeded ? .finished : .failed, node: node, step: .exec, message: status))
        return result
    }
}

extension RemoteExec {
    /// The words the node runs: `command` with its standard output sent to standard error.
    ///
    /// The runner streams standard error line by line while a command runs (and collects
    /// standard output at its end): this way a long command's output shows as it is printed.
    /// `sh -c PROGRAM sh WORD...` runs the words as given and exits with their status; first it
    /// names its process group (`deploysh:exec-group=PGID` on standard error; sshd gives every
    /// session a group of its own), so that Ctrl-C can end the command on the node too.
    static func remoteWords(_ command: [String]) -> [String] {
        ["sh", "-c", groupReport + "\"$@\" 1>&2", "sh"] + command
    }

    /// Prints `deploysh:exec-group=PGID` of this shell on standard error (from /proc, else ps).
    static let groupReport =
        "g=; if [ -r /proc/$$/stat ]; then read -r _ _ _ _ g _ </proc/$$/stat; fi; "
        + "[ -n \"$g\" ] || g=$(ps -o pgid= -p $$ 2>/dev/null | tr -d ' '); "
        + "printf 'deploysh:exec-group=%s\\n' \"$g\" >&2; "
}

/// The lines a command printed, collected while they stream in, up to `limit` bytes (as the
/// runner bounds a command's standard output); what comes after is counted, not kept.
private final class Printed: Sendable {
    private struct Lines {
        var text = ""
        var bytes = 0
        var dropped = 0
    }

    private let lines = Mutex(Lines())
    private let limit = 64 << 20

    func append(_ line: String) {
        lines.withLock { lines in
            let size = line.utf8.count + 1
            guard lines.bytes + size <= limit else {
                lines.dropped += 1
                return
            }
            lines.text += line + "\n"
            lines.bytes += size
        }
    }

    var text: String {
        lines.withLock { lines in
            lines.text + (lines.dropped == 0 ? "" : "(\(lines.dropped) more lines not kept: over 64 MiB of output)\n")
        }
    }
}

/// The remote command's process group, read from the first line it prints.
private final class RemoteGroup: Sendable {
    private let group = Mutex<Int?>(nil)

    /// Takes the group line (`deploysh:exec-group=PGID`); returns whether `line` was it.
    func take(_ line: String) -> Bool {
        guard line.hasPrefix("deploysh:exec-group="), id == nil else { return false }
        let value = Int(line.dropFirst("deploysh:exec-group=".count))
        group.withLock { group in
            // Only a real group: never 0 or 1 (that would signal everything).
            if group == nil, let value, value > 1 { group = value }
        }
        return true
    }

    var id: Int? { group.withLock { $0 } }
}

/// Results filled in by concurrent tasks, read back in order.
private final class ResultBox: Sendable {
    private let results = Mutex<[Int: RemoteExec.Result]>([:])

    func set(_ index: Int, _ result: RemoteExec.Result) {
        results.withLock { $0[index] = result }
    }

    func ordered(count: Int) -> [RemoteExec.Result] {
        results.withLock { results in (0..<count).compactMap { results[$0] } }
    }
}
