import DeployKit
import Foundation
import Synchronization

/// Real test nodes: sshd + Nix in private mount namespaces, started by `scripts/testbed`.
///
/// Each testbed gets its own directory and loopback range, so tests can run several in
/// sequence; ``withTestbed(nodes:withUser:_:)`` always tears it down, even when a test fails.
package struct Testbed: Sendable {
    package let directory: String
    package let base: String
    package let count: Int

    private static let counter = Mutex(0)

    /// The address of node `index` (1-based).
    package func address(_ index: Int) -> String { "\(base).\(index)" }
    /// The host directory of node `index`.
    package func nodeDirectory(_ index: Int) -> String { "\(directory)/node\(index)" }
    /// The host path of node `index`'s `/nix`.
    package func nixDirectory(_ index: Int) -> String { nodeDirectory(index) + "/nix" }
    package var sshConfig: String { directory + "/ssh_config" }

    /// Where a path on node `index` (under /nix) lives on the host.
    package func hostPath(node index: Int, _ path: String) -> String {
        precondition(path.hasPrefix("/nix/"), "only /nix is private to a node")
        return nixDirectory(index) + path.dropFirst(4)
    }

    /// The store path a profile on node `index` points to now, or `nil`.
    package func profileTarget(node index: Int, profile path: String) -> String? {
        var current = hostPath(node: index, path)
        for _ in 0..<8 {
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { break }
            current =
                link.hasPrefix("/")
                ? (link.hasPrefix("/nix/") ? hostPath(node: index, link) : link)
                : (current as NSString).deletingLastPathComponent + "/" + link
            if link.hasPrefix("/nix/store/") { return link }
        }
        return nil
    }

    /// The generation numbers of a profile on node `index`.
    package func generations(node index: Int, profile path: String) -> [Int] {
        let host = hostPath(node: index, path)
        let directory = (host as NSString).deletingLastPathComponent
        let base = (host as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix(base + "-"), name.hasSuffix("-link") else { return nil }
            return Int(name.dropFirst(base.count + 1).dropLast(5))
        }.sorted()
    }

    static func script(_ arguments: [String]) async throws -> CommandResult {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/testbed").path
        return try await SubprocessRunner(environment: TestEnvironment.nixEnvironment).run(
            Invocation("bash", [script] + arguments)
        )
    }

    /// Starts `nodes` nodes; throws with the script's stderr when that fails.
    package static func start(nodes: Int, withUser: Bool = false) async throws -> Testbed {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        let testbed = Testbed(
            directory: NSTemporaryDirectory() + "deploysh-testbed-\(getpid())-\(number)",
            base: "127.\(40 + number).\(Int(getpid()) % 200 + 1)",
            count: nodes
        )
        var arguments = ["up", String(nodes), testbed.directory, "--base", testbed.base]
        if withUser { arguments.append("--with-user") }
        let result = try await script(arguments)
        guard result.succeeded else {
            throw TestbedError(message: "testbed up failed: " + result.standardErrorTail.joined(separator: "\n"))
        }
        return testbed
    }

    /// Stops every process of the testbed and removes its directory.
    package func stop() async {
        _ = try? await Self.script(["down", directory])
    }

    package func stopNode(_ index: Int) async throws {
        _ = try await Self.script(["stop-node", directory, String(index)])
    }

    package func startNode(_ index: Int) async throws {
        _ = try await Self.script(["start-node", directory, String(index)])
    }
}

/// The testbed could not start.
package struct TestbedError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

/// Runs `body` with a fresh testbed and always tears it down.
@MainActor
package func withTestbed<T>(
    nodes: Int,
    withUser: Bool = false,
    _ body: (Testbed) async throws -> T
) async throws -> T {
    try await withStarted(
        { try await Testbed.start(nodes: nodes, withUser: withUser) },
        stop: { await $0.stop() },
        body
    )
}

/// Runs `body` with what `start` made (a testbed), and always `stop`s it, also when `body` throws.
@MainActor
package func withStarted<Resource, T>(
    _ start: () async throws -> Resource,
    stop: (Resource) async -> Void,
    _ body: (Resource) async throws -> T
) async throws -> T {
    let resource = try await start()
    do {
        let value = try await body(resource)
        await stop(resource)
        return value
    } catch {
        await stop(resource)
        throw error
    }
}
