import DeployKit
import Foundation
import Synchronization

/// Test nodes behind one shaped link, next to a binary cache host: `scripts/testbed up --net`.
///
/// Each node is a ``Testbed`` node (own mount namespace, sshd, /nix) in its own network namespace
/// behind a bridge; the deployer (this process's network namespace) reaches the nodes and the
/// cache host's nginx through one veth pair whose egress is shaped to ``uplink``. Nodes reach the
/// cache over the bridge, unshaped. See docs/testbed.md, network mode.
package struct NetworkTestbed: Sendable {
    /// The nodes, as for loopback tests (``DeployFixture`` takes it): its `base` is the subnet
    /// prefix `10.213.Y`, so `address(i)` is node i's address.
    package let testbed: Testbed
    /// The rate of the deployer's uplink, as given to `--uplink` (e.g. `50mbit`, `off`).
    package let uplink: String
    /// Where the deployer uploads (`nix copy --to URL`): through the shaped uplink.
    package let cacheUploadURL: String
    /// Where the nodes fetch from (`--option substituters URL`): over the bridge.
    package let cachePullURL: String
    /// The deployer's end of the shaped link (a network interface of this namespace).
    package let uplinkInterface: String
    /// The directory nginx serves as the binary cache, on this machine.
    package let cacheDirectory: String

    private static let counter = Mutex(0)

    package var directory: String { testbed.directory }
    package var count: Int { testbed.count }
    package var sshConfig: String { testbed.sshConfig }
    /// The address of node `index` (1-based), `10.213.Y.index`.
    package func address(_ index: Int) -> String { testbed.address(index) }

    /// Starts `nodes` nodes and the cache host; throws with the script's stderr when that fails
    /// (after taking down what was started). Picks another subnet when one is taken by another
    /// network testbed.
    package static func start(nodes: Int, uplink: String = "100mbit") async throws -> NetworkTestbed {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        let directory = NSTemporaryDirectory() + "deploysh-nettestbed-\(getpid())-\(number)"
        var failure = ""
        for attempt in 0..<3 {
            // Base 127.213.Y gives the subnet 10.213.Y.0/24 and the names tb-213-Y-*.
            let third = (Int(getpid()) + 7 * number + 31 * attempt) % 250 + 1
            let arguments = [
                "up", String(nodes), directory, "--base", "127.213.\(third)", "--net", "--uplink", uplink,
            ]
            let result = try await Testbed.script(arguments)
            if result.succeeded {
                return try await connect(directory: directory, nodes: nodes, uplink: uplink)
            }
            failure = result.standardErrorTail.joined(separator: "\n")
            _ = try? await Testbed.script(["down", directory])
            guard failure.contains("exists already") || failure.contains("overlaps") else { break }
        }
        throw TestbedError(message: "testbed up --net failed: " + failure)
    }

    /// Reads the addresses and URLs of a running network testbed from `scripts/testbed env`.
    private static func connect(directory: String, nodes: Int, uplink: String) async throws -> NetworkTestbed {
        let result = try await Testbed.script(["env", directory])
        var values: [String: String] = [:]
        for line in result.standardOutput.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let value = line[line.index(after: equals)...].trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            values[String(line[..<equals])] = value
        }
        guard result.succeeded, values["TESTBED_NET"] == "1",
            let upload = values["TESTBED_CACHE_UPLOAD_URL"], let pull = values["TESTBED_CACHE_URL"],
            let interface = values["TESTBED_UPLINK_IF"], let cache = values["TESTBED_CACHE_DIR"],
            let first = values["TESTBED_NODES"]?.split(separator: " ").first,
            let dot = first.lastIndex(of: ".")
        else {
            _ = try? await Testbed.script(["down", directory])
            throw TestbedError(message: "testbed env \(directory) says no network: \(result.standardOutput)")
        }
        return NetworkTestbed(
            testbed: Testbed(directory: directory, base: String(first[..<dot]), count: nodes),
            uplink: uplink,
            cacheUploadURL: upload,
            cachePullURL: pull,
            uplinkInterface: interface,
            cacheDirectory: cache
        )
    }

    /// Stops the nodes and the cache host, removes every namespace and link, and the directory.
    package func stop() async {
        await testbed.stop()
    }

    /// Cuts node `index` off the cache host (`on: false`: connections to it fail at once), or
    /// lets it reach the cache again.
    package func setCacheAccess(node index: Int, on: Bool) async throws {
        let result = try await Testbed.script(["cache-access", directory, String(index), on ? "on" : "off"])
        guard result.succeeded else {
            throw TestbedError(message: "cache-access failed: " + result.standardErrorTail.joined(separator: "\n"))
        }
    }

    /// Bytes the deployer has sent through the shaped uplink so far (to nodes and cache host);
    /// take the difference of two readings.
    package func uplinkBytes() throws -> Int {
        let path = "/sys/class/net/\(uplinkInterface)/statistics/tx_bytes"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let bytes = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestbedError(message: "\(path) holds no number: \(text)")
        }
        return bytes
    }

    /// Runs `command` as root in node `index`'s namespaces (its /nix, its network), on this
    /// machine without ssh: the node's own view, e.g. of the cache host.
    package func run(node index: Int, _ command: [String]) async throws -> CommandResult {
        try await Testbed.script(["run", directory, String(index), "root"] + command)
    }
}

/// Runs `body` with a fresh network testbed and always tears it down.
@MainActor
package func withNetworkTestbed<T>(
    nodes: Int,
    uplink: String = "100mbit",
    _ body: (NetworkTestbed) async throws -> T
) async throws -> T {
    try await withStarted(
        { try await NetworkTestbed.start(nodes: nodes, uplink: uplink) },
        stop: { await $0.stop() },
        body
    )
}
