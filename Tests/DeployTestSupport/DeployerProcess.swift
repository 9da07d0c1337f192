import Foundation
import Synchronization

/// The real `deploysh` binary running in the background, so a test can kill it mid-deploy.
///
/// Uses Foundation's `Process` because a test needs the pid for SIGKILL; the product itself
/// starts processes only through `SubprocessRunner`.
package final class DeployerProcess: Sendable {
    private let process: Process
    private let output = Mutex("")
    /// The directory this deployer's private runtime directory is made under (its
    /// `XDG_RUNTIME_DIR`), so a test can find what it left there.
    package let runtimeBase: String

    private init(process: Process, runtimeBase: String) {
        self.process = process
        self.runtimeBase = runtimeBase
    }

    /// Starts `deploysh ARGUMENTS`.
    ///
    /// - Parameter privateRuntime: give it an `XDG_RUNTIME_DIR` of its own (0700), named by
    ///   ``runtimeBase``, so its control sockets can be told apart from other deployers'.
    package static func start(
        arguments: [String],
        environment changes: [String: String?] = [:],
        privateRuntime: Bool = false
    ) async throws -> DeployerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.deployshBinary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NIX_CONFIG"] = TestEnvironment.nixConfig
        var runtimeBase = environment["XDG_RUNTIME_DIR"] ?? NSTemporaryDirectory()
        if privateRuntime {
            // Short: a control socket path must fit in 108 bytes.
            runtimeBase = NSTemporaryDirectory() + "dsr-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(
                atPath: runtimeBase,
                withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o700]
            )
            environment["XDG_RUNTIME_DIR"] = runtimeBase
        }
        for (key, value) in changes { environment[key] = value }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let deployer = DeployerProcess(process: process, runtimeBase: runtimeBase)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            deployer.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        return deployer
    }

    /// Waits (bounded) until the standard output contains `text`.
    package func waitForOutput(containing text: String, seconds: Int) async -> Bool {
        for _ in 0..<(seconds * 10) {
            if output.withLock({ $0.contains(text) }) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Waits (bounded) for the deployer to exit; returns its exit status, or `nil` if it is
    /// still running after `seconds` (it is then killed).
    package func waitForExit(seconds: Int) async -> Int32? {
        for _ in 0..<(seconds * 10) where process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        guard !process.isRunning else {
            kill()
            return nil
        }
        return process.terminationStatus
    }

    /// The deployer's process id (to find its children).
    package var pid: Int32 { process.processIdentifier }

    /// Everything the deployer printed on standard output so far.
    package var standardOutput: String { output.withLock { $0 } }

    /// Sends SIGINT, as Ctrl-C in a terminal would.
    package func interrupt() {
        Foundation.kill(process.processIdentifier, SIGINT)
    }

    /// Sends `number` (SIGTERM when a CI runner is cancelled, SIGHUP when a terminal closes).
    package func signal(_ number: Int32) {
        Foundation.kill(process.processIdentifier, number)
    }

    /// Kills the deployer with SIGKILL, as a crash or a power cut would.
    package func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
