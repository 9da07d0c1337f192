import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: push once through a binary cache, pull on every node, on one shared 4-node testbed.
/// The cache is a real `file://` binary cache that `nix copy` writes, served to the nodes over
/// HTTP by a real server on a loopback address; the nodes' own Nix substitutes from it. Each
/// test deploys its own store paths; assertions read the nodes' stores and the cache.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(5)), .sharedTestbed(nodes: 4))
@MainActor
struct BinaryCacheTests {
    /// A new signing key, its public half, and a cache directory, for one test.
    struct Cache {
        var directory: String
        var keyFile: String
        var keyName: String
        var port: Int
        var address: String

        var pushTo: String { "file://" + directory }
        var pullFrom: String { "http://\(address):\(port)" }
        /// The flake's top-level `binaryCache` for this cache.
        var attribute: String {
            "binaryCache = { pushTo = \(FlakeFixtures.nixString(pushTo)); pullFrom = \(FlakeFixtures.nixString(pullFrom)); };"
        }

        init(_ fixture: DeployFixture, port: Int, name: String = "cache") throws {
            directory = fixture.markers + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            keyName = name + "-" + fixture.nonce
            keyFile = fixture.markers + "/" + name + ".sec"
            let key = Process()
            key.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            key.arguments = [
                "nix", "--extra-experimental-features", "nix-command", "key", "generate-secret", "--key-name", keyName,
            ]
            let pipe = Pipe()
            key.standardOutput = pipe
            try key.run()
            let secret = pipe.fileHandleForReading.readDataToEndOfFile()
            key.waitUntilExit()
            try secret.write(to: URL(fileURLWithPath: keyFile))
            chmod(keyFile, 0o600)
            self.port = port
            address = fixture.testbed.base + ".200"
        }

        /// The narinfo files in the cache: one per store path uploaded.
        var narinfos: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                $0.hasSuffix(".narinfo")
            }
        }
    }

    /// A flake with one profile `p` at `path` on nodes 1...count, each node's extra attributes.
    static func flake(
        _ fixture: DeployFixture,
        count: Int,
        path: String,
        nodes: [Int: String] = [:],
        settings: String = "",
        profile: (Int) -> String
    ) throws -> String {
        try fixture.write(
            nodes: (1...count).map { index in
                let extra = nodes[index].map { "; " + $0 } ?? ""
                return (
                    "n\(index)", index,
                    "{ p = { profilePath = \(FlakeFixtures.nixString(path)); path = \(profile(index)); }; }" + extra
                )
            },
            settings: "confirmTimeout = 30; " + settings
        )
    }

    /// The JSON progress events of `step` with `status`.
    static func events(_ errors: String, step: String, status: String) -> [JSONValue] {
        errors.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }.filter {
            $0["step"]?.stringValue == step && $0["status"]?.stringValue == status
        }
    }

    @Test func testEveryNodePullsItsClosureFromTheCacheTheDeployerUploadedOnce() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let cache = try Cache(fixture, port: 18301)
        let path = "/nix/var/nix/profiles/cache-pull"
        let flake = try Self.flake(fixture, count: 4, path: path) { _ in fixture.profile("shared") }
        let shell = TestShell(json: true)
        try await withHTTPServer(address: cache.address, port: cache.port, directory: cache.directory) {
            let command =
                "load \(flake); deploy --push-to \(cache.pushTo) --pull-from \(cache.pullFrom) "
                + "--cache-key \(cache.keyFile) n1 n2 n3 n4"
            #expect(await shell.run(command) == .success, "\(shell.takeErrors())")
        }
        let rows = try shell.takeSummaryRows()
        let errors = shell.takeErrors()
        for node in 1...4 {
            #expect(rows["n\(node).p"]?["state"]?.stringValue == "confirmed", "\(rows)")
            #expect(rows["n\(node).p"]?["copy"]?.stringValue == "cache", "\(rows)")
        }
        // One upload for the four nodes, and the closure is in the cache once.
        #expect(Self.events(errors, step: "upload", status: "started").count == 1, "\(errors)")
        #expect(cache.narinfos.count == 1, "\(cache.narinfos)")
        // Each node got the path by substitution: it carries the cache key's signature, which a
        // direct copy from the (unsigned) deployer store would not.
        let storePath = try #require(rows["n1.p"]?["storePath"]?.stringValue)
        for node in 1...4 {
            let info = try await testbed.run(
                node: node,
                "nix --extra-experimental-features nix-command path-info --sigs \(storePath)"
            )
            #expect(info.standardOutput.contains(cache.keyName + ":"), "node \(node): \(info.standardOutput)")
        }
    }

    @Test func testANodeThatCannotReachTheCacheFallsBackToADirectCopyOrFailsWithoutFallback() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let cache = try Cache(fixture, port: 18302)
        let path = "/nix/var/nix/profiles/cache-fallback"
        // Node 2 pulls from a port where nothing listens (the discard port on loopback).
        let unreachable = #"binaryCache = { pullFrom = "http://127.0.0.1:9"; }"#
        // The flake's top-level cache, overridden for node 2 (a node in "another region").
        let first = try Self.flake(fixture, count: 3, path: path, nodes: [2: unreachable], settings: cache.attribute) {
            _ in fixture.profile("first")
        }
        let second = try Self.flake(fixture, count: 3, path: path, nodes: [2: unreachable], settings: cache.attribute) {
            _ in fixture.profile("second")
        }
        let flags = "--cache-key \(cache.keyFile)"
        let shell = TestShell(json: true)
        try await withHTTPServer(address: cache.address, port: cache.port, directory: cache.directory) {
            #expect(await shell.run("load \(first); deploy \(flags) n1 n2 n3") == .success, "\(shell.takeErrors())")
            let rows = try shell.takeSummaryRows()
            #expect(rows["n2.p"]?["state"]?.stringValue == "confirmed", "\(rows)")
            #expect(rows["n2.p"]?["copy"]?.stringValue == "fallback", "\(rows)")
            let detail = rows["n2.p"]?["copyDetail"]?.stringValue ?? ""
            #expect(detail.contains("cannot reach http://127.0.0.1:9"), "\(detail)")
            #expect(rows["n1.p"]?["copy"]?.stringValue == "cache" && rows["n3.p"]?["copy"]?.stringValue == "cache")
            let warnings = shell.takeErrors().split(separator: "\n").filter { $0.contains("copying directly instead") }
            #expect(warnings.count == 1 && warnings[0].contains("n2.p: pull from"), "\(warnings)")

            #expect(await shell.run("load \(second); deploy --keep-going --no-fallback \(flags) n1 n2 n3") == .failed)
            let failed = try shell.takeSummaryRows()
            #expect(failed["n2.p"]?["state"]?.stringValue == "failed", "\(failed)")
            #expect(failed["n2.p"]?["error"]?.stringValue?.contains("cannot reach") == true, "\(failed)")
            #expect(failed["n1.p"]?["state"]?.stringValue == "confirmed", "\(failed)")
            #expect(failed["n3.p"]?["state"]?.stringValue == "confirmed", "\(failed)")
            #expect(testbed.profileTarget(node: 2, profile: path)?.contains("-first-") == true)
            #expect(testbed.profileTarget(node: 1, profile: path)?.contains("-second-") == true)
        }
    }

    @Test func testANodeThatDoesNotTrustTheKeyFailsToPullNamingTrustedPublicKeysThenFallsBack() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let cache = try Cache(fixture, port: 18303)
        let other = try Cache(fixture, port: 18304, name: "other")
        let otherPublic = try await SubprocessRunner(environment: TestEnvironment.nixEnvironment).run(
            Invocation(
                "nix",
                ["--extra-experimental-features", "nix-command", "key", "convert-secret-to-public"],
                standardInput: try String(contentsOfFile: other.keyFile, encoding: .utf8)
            )
        ).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let path = "/nix/var/nix/profiles/cache-untrusted"
        // Node 1 trusts another key than the one the uploads are signed with.
        let flake = try Self.flake(
            fixture,
            count: 1,
            path: path,
            nodes: [1: "binaryCache = { publicKey = \(FlakeFixtures.nixString(otherPublic)); }"],
            settings: cache.attribute
        ) { _ in fixture.profile("untrusted") }
        let shell = TestShell(json: true)
        try await withHTTPServer(address: cache.address, port: cache.port, directory: cache.directory) {
            let command = "load \(flake); deploy --cache-key \(cache.keyFile) n1"
            #expect(await shell.run(command) == .success, "\(shell.takeErrors())")
        }
        let rows = try shell.takeSummaryRows()
        let errors = shell.takeErrors()
        #expect(rows["n1.p"]?["copy"]?.stringValue == "fallback", "\(rows) \(errors)")
        #expect(rows["n1.p"]?["copyDetail"]?.stringValue?.contains("trusted-public-keys") == true, "\(rows)")
        #expect(testbed.profileTarget(node: 1, profile: path)?.contains("-untrusted-") == true)
    }

    @Test func testABuildThroughBuildersRunsOnTheBuilderNodeNotTheDeployer() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/cache-builders"
        let flake = try Self.flake(fixture, count: 1, path: path) { _ in fixture.profile("remote-built") }
        let spec = try testbed.builderSpec(node: 4)
        let shell = TestShell(json: true)
        let command = "load \(flake); deploy --builders \(RemoteShell.quote(spec)) --max-jobs 0 n1"
        #expect(await shell.run(command) == .success, "\(shell.takeErrors())")
        let rows = try shell.takeSummaryRows()
        let storePath = try #require(rows["n1.p"]?["storePath"]?.stringValue)
        // The builder node (not a target of this deploy) has the output: it built it there.
        #expect(
            FileManager.default.fileExists(
                atPath: testbed.nixDirectory(4) + "/store/" + (storePath as NSString).lastPathComponent
            )
        )
        let output = shell.takeErrors()
        #expect(output.contains("on 'ssh://root@\(testbed.address(4))'"), "\(output)")
        #expect(testbed.profileTarget(node: 1, profile: path)?.contains("-remote-built-") == true)
    }

    @Test func testBadCacheInputIsRefusedNamingTheSettingAndNothingIsDeployed() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/cache-bad"
        let flake = try Self.flake(fixture, count: 1, path: path) { _ in fixture.profile("bad") }
        let notAKey = fixture.markers + "/not-a-key"
        try "hello\n".write(toFile: notAKey, atomically: true, encoding: .utf8)
        let shell = TestShell()
        #expect(await shell.run("load \(flake); deploy --push-to ftp://cache.example n1") == .failed)
        #expect(shell.takeErrors().contains("--push-to 'ftp://cache.example' has the scheme 'ftp://'"))
        #expect(await shell.run("deploy --push-to file:///srv/c --cache-key \(notAKey) n1") == .failed)
        #expect(shell.takeErrors().contains("is not a Nix secret key"))
        #expect(await shell.run("set pullFrom 'http://'") == .failed)
        #expect(shell.takeErrors().contains("pullFrom 'http://' names no host"))
        // An upload to a cache the deployer cannot write fails before anything reaches the node.
        #expect(await shell.run("deploy --push-to http://127.0.0.1:9 n1") == .failed)
        let errors = shell.takeErrors()
        #expect(errors.contains("uploading to the cache http://127.0.0.1:9 failed"), "\(errors)")
        #expect(testbed.profileTarget(node: 1, profile: path) == nil)
        let flakeErrors = try Self.flake(
            fixture,
            count: 1,
            path: path,
            nodes: [1: #"binaryCache = { pushTo = "nope"; pulFrom = "x"; }"#]
        ) { _ in
            fixture.profile("bad2")
        }
        #expect(await shell.run("load \(flakeErrors)") == .failed)
        let loadErrors = shell.takeErrors()
        #expect(loadErrors.contains("nodes.n1.binaryCache.pushTo"), "\(loadErrors)")
        #expect(loadErrors.contains("did you mean 'pullFrom'"), "\(loadErrors)")
    }
}
