import DeployKit
import DeployTestSupport
import Foundation
import Testing

/// Large: the network testbed (`scripts/testbed up --net`): nodes behind one shaped uplink, a
/// binary cache host next to them, and a node cut off from it.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct NetworkTestbedTests {
    @Test func testNodesBehindTheUplinkFetchFromTheCacheUnlessCutOff() async throws {
        try await withNetworkTestbed(nodes: 2, uplink: "200mbit") { net in
            let runner = SubprocessRunner(environment: TestEnvironment.nixEnvironment)
            func ssh(_ node: Int, _ command: String) async throws -> CommandResult {
                try await runner.run(
                    Invocation("ssh", ["-F", net.sshConfig, "root@" + net.address(node), command])
                )
            }

            // The deployer reaches both nodes through the uplink; each sits on its own address.
            let before = try net.uplinkBytes()
            for node in 1...2 {
                let result = try await ssh(node, "ip -4 -o addr show dev eth0")
                #expect(result.succeeded, "node\(node): \(result.standardErrorTail)")
                #expect(result.standardOutput.contains(" \(net.address(node))/24 "), "\(result.standardOutput)")
            }
            #expect(try net.uplinkBytes() > before)
            #expect(net.cacheUploadURL.hasPrefix("http://10.213."))
            #expect(net.cachePullURL.hasPrefix("http://10.213."))

            // The deployer uploads a store path to the cache host; node 1 fetches it from there.
            let work = net.directory + "/upload"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            try "cached \(UUID().uuidString)\n".write(toFile: work + "/payload", atomically: true, encoding: .utf8)
            let added = try await runner.run(Invocation("nix-store", ["--add", work + "/payload"]))
            #expect(added.succeeded, "\(added.standardErrorTail)")
            let path = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            let copied = try await runner.run(Invocation("nix", ["copy", "--to", net.cacheUploadURL, path]))
            #expect(copied.succeeded, "\(copied.standardErrorTail)")
            let fetch =
                "nix-store -r \(path) --option substituters \(net.cachePullURL) --option require-sigs false"
                + " && cat \(path)"
            let fetched = try await ssh(1, fetch)
            #expect(fetched.succeeded, "\(fetched.standardErrorTail)")
            #expect(fetched.standardOutput.contains("cached "))

            // Node 2, cut off the cache, cannot reach it; back on, it can.
            let cacheInfo = ["curl", "-fsS", "--max-time", "5", net.cachePullURL + "/nix-cache-info"]
            try await net.setCacheAccess(node: 2, on: false)
            let refused = try await net.run(node: 2, cacheInfo)
            #expect(!refused.succeeded)
            let reached = try await net.run(node: 1, cacheInfo)
            #expect(reached.succeeded, "\(reached.standardErrorTail)")
            #expect(reached.standardOutput.contains("StoreDir: /nix/store"))
            try await net.setCacheAccess(node: 2, on: true)
            let again = try await net.run(node: 2, cacheInfo)
            #expect(again.succeeded, "\(again.standardErrorTail)")
        }
    }
}
