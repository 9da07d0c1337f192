import Subprocess
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs the external commands deploysh needs; the only file that starts processes.
///
/// Children run in their own process group, so the terminal's Ctrl-C reaches deploysh only;
/// when the calling task is cancelled, swift-subprocess tears the whole group down
/// (SIGINT, then SIGTERM, then SIGKILL). A non-zero exit is a result, not an error.
package struct SubprocessRunner: CommandRunner {
    /// Variables added to every child's inherited environment (tests inject `NIX_CONFIG` here).
    package var environment: [String: String]
    package var standardErrorTailLines: Int
    package var outputLimit: Int

    package init(environment: [String: String] = [:], standardErrorTailLines: Int = 20, outputLimit: Int = 64 << 20) {
        self.environment = environment
        self.standardErrorTailLines = standardErrorTailLines
        self.outputLimit = outputLimit
    }

    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?
    ) async throws -> CommandResult {
        try await starting(invocation, onLine: onStandardErrorLine, onOutput: nil)
    }

    package func run(
        _ invocation: Invocation,
        onStandardErrorLine: (@Sendable (String) -> Void)?,
        onStandardOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws -> CommandResult {
        try await starting(invocation, onLine: onStandardErrorLine, onOutput: onStandardOutput)
    }

    private func starting(
        _ invocation: Invocation,
        onLine: (@Sendable (String) -> Void)?,
        onOutput: (@Sendable ([UInt8]) -> Void)?
    ) async throws -> CommandResult {
        let started = ContinuousClock.now
        do {
            if let input = invocation.standardInput {
                return try await run(
                    invocation,
                    input: .string(input),
                    started: started,
                    onLine: onLine,
                    onOutput: onOutput
                )
            }
            return try await run(invocation, input: .none, started: started, onLine: onLine, onOutput: onOutput)
        } catch let error as SubprocessError {
            if error.code == .executableNotFound {
                throw CommandFailure(
                    .executableNotFound,
                    summary: "cannot run \(invocation.executable)",
                    invocation: invocation,
                    hint: hintForMissing(invocation.executable)
                )
            }
            if error.code == .outputLimitExceeded { throw outputLimitFailure(invocation) }
            throw CommandFailure(
                .couldNotStart(error.description),
                summary: "cannot run \(invocation.executable)",
                invocation: invocation
            )
        }
    }

    private func outputLimitFailure(_ invocation: Invocation) -> CommandFailure {
        CommandFailure(
            .outputLimitExceeded(bytes: outputLimit),
            summary: "\(invocation.executable) printed too much",
            invocation: invocation,
            hint: "Narrow what is evaluated (for example with `eval ATTRPATH`)."
        )
    }

    private func run(
        _ invocation: Invocation,
        input: some InputProtocol,
        started: ContinuousClock.Instant,
        onLine: (@Sendable (String) -> Void)?,
        onOutput: (@Sendable ([UInt8]) -> Void)?
    ) async throws -> CommandResult {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [
            .send(signal: .interrupt, toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500)),
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2)),
        ]
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment.merging(invocation.environment, uniquingKeysWith: { $1 }) {
            if let key = Environment.Key(rawValue: key) { updates[key] = value }
        }
        let tailLines = standardErrorTailLines
        let path =
            invocation.environment["PATH"] ?? environment["PATH"] ?? ProcessEnvironment.value("PATH")
            ?? "/usr/bin:/bin"
        let guarded = ChildGuard.wrap(executable(for: invocation.executable, path: path), invocation.arguments)
        let executable: Executable =
            guarded.executable.contains("/") ? .path(FilePath(guarded.executable)) : .name(guarded.executable)
        let limit = outputLimit
        let tooMuch = outputLimitFailure(invocation)
        // Output as a sequence, gathered here (one path whether or not it is also streamed):
        // `.bytes(limit:)` reserves the whole limit (64 MiB) up front for every command.
        let result = try await Subprocess.run(
            executable,
            arguments: Arguments(guarded.arguments),
            environment: .inherit.updating(updates),
            platformOptions: options,
            input: input,
            output: .sequence,
            error: .sequence
        ) { execution in
            let errors = execution.standardError
            async let tail = Self.lines(of: errors, keeping: tailLines, onLine: onLine)
            var output: [UInt8] = []
            for try await buffer in execution.standardOutput {
                let piece = buffer.withUnsafeBytes { Array($0) }
                output += piece
                guard output.count <= limit else { throw tooMuch }
                onOutput?(piece)
            }
            return (output, try await tail)
        }
        let (termination, (output, tail)) = (result.terminationStatus, result.closureResult)
        let status: TerminationStatus =
            switch termination {
            case _ where Task.isCancelled && !termination.isSuccess: .cancelled
            case .exited(let code): .exited(code)
            case .signaled(let signal): .signaled(signal)
            }
        return CommandResult(
            invocation: invocation,
            status: status,
            standardOutput: String(decoding: output, as: UTF8.self),
            standardErrorTail: tail,
            duration: ContinuousClock.now - started
        )
    }

    /// Reads standard error line by line, handing each to `onLine`; the last `keeping` lines.
    private static func lines(
        of errors: SubprocessOutputSequence,
        keeping tailLines: Int,
        onLine: (@Sendable (String) -> Void)?
    ) async throws -> [String] {
        var tail = LineTail(capacity: tailLines)
        // Lines of any length: an activation may print a megabyte on one line (renderers shorten it).
        for try await line in errors.strings(bufferingPolicy: .unbounded) {
            tail.append(line)
            onLine?(line)
        }
        return tail.contents
    }

    /// The path of `name` on `path` (a directory list), looked up once per (PATH, name).
    private func executable(for name: String, path: String) -> String {
        if name.contains("/") { return name }
        let key = path + "\u{0}" + name
        if let found = Self.resolvedPaths.withLock({ $0[key] }) { return found }
        // swift-subprocess tries each PATH entry by spawning (about 3 ms each); look it up once.
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) {
                Self.resolvedPaths.withLock { $0[key] = candidate }
                return candidate
            }
        }
        return name
    }

    /// Executables already found, by PATH and name: each runner's own PATH decides.
    private static let resolvedPaths = Mutex<[String: String]>([:])

    private func hintForMissing(_ executable: String) -> String {
        switch executable {
        case "nix", "nix-env", "nix-store", "nix-instantiate": "Install Nix (on Debian: `apt-get install nix-bin`)."
        case "ssh": "Install OpenSSH's client (on Debian: `apt-get install openssh-client`)."
        default: "Check that '\(executable)' is installed and on PATH."
        }
    }
}
