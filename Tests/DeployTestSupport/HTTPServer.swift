import DeployKit
import Foundation

/// A `python3 -m http.server` on `address:port` serving `directory`, stopped when `body` ends:
/// a real HTTP server (health checks, a binary cache the nodes pull from) on a loopback address.
@MainActor
package func withHTTPServer<T>(
    address: String,
    port: Int,
    directory: String,
    _ body: () async throws -> T
) async throws -> T {
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    server.arguments = ["-m", "http.server", "--bind", address, "--directory", directory, String(port)]
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    try server.run()
    // SIGKILL: the child may inherit a mask that blocks SIGTERM; no wait on the main actor.
    defer { kill(server.processIdentifier, SIGKILL) }
    for _ in 0..<100 {
        if await HealthProbe.tcp(host: address, port: port, timeout: 0.2).isHealthy { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await body()
}

extension Testbed {
    /// Runs `command` (shell text) on node `index` as root over a new ssh connection.
    package func run(node index: Int, _ command: String) async throws -> CommandResult {
        try await SubprocessRunner(environment: TestEnvironment.nixEnvironment).run(
            Invocation("ssh", ["-F", sshConfig, "-o", "ControlPath=none", "root@" + address(index), command])
        )
    }

    /// A Nix remote-builder line for node `index` (its host key pinned, the deployer's key).
    package func builderSpec(node index: Int) throws -> String {
        let hostKey = try String(contentsOfFile: nodeDirectory(index) + "/ssh_host_ed25519_key.pub", encoding: .utf8)
        let encoded = Data(hostKey.utf8).base64EncodedString()
        return "ssh://root@\(address(index)) \(FlakeFixtures.system) \(directory)/id_ed25519 1 1 - - \(encoded)"
    }
}
