import DeployTestSupport
import Foundation
import Testing

@testable import DeployKit

/// The upload the copier runs for a binary cache: one signed `nix copy` per cache, and what a
/// store this Nix cannot open (`s3://` without S3 support) says.
@Suite struct CopierCacheTests {
    static let secretKey = "cache-1:" + String(repeating: "A", count: 86) + "=="
    static let publicKey = "cache-1:" + String(repeating: "B", count: 43) + "="

    static func keyFile() throws -> String {
        let path = NSTemporaryDirectory() + "deploysh-key-\(UUID().uuidString.prefix(8)).sec"
        try (secretKey + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A runner where `nix key` answers and `nix copy` ends as `copy` says.
    static func runner(copy: RecordingRunner.Response) -> RecordingRunner {
        RecordingRunner { invocation in
            if invocation.arguments.contains("convert-secret-to-public") {
                return .init(standardOutput: publicKey + "\n")
            }
            if invocation.arguments.contains("copy") { return copy }
            return .init(standardOutput: "[]")
        }
    }

    @Test func testTheClosuresOfEveryTargetGoToTheCacheInOneSignedZstdUpload() async throws {
        let runner = Self.runner(copy: .init())
        let copier = CopierTests.copier(runner: runner, controlDirectory: "/run/deploysh-x")
        let key = try Self.keyFile()
        var second = try CopierTests.target()
        second.storePath = "/nix/store/def-other"
        let route = CacheRoute(
            pushTo: "http://cache:8080",
            pullFrom: "http://cache:8080",
            publicKey: nil,
            fallback: true
        )
        let keys = try await copier.upload(
            [(try CopierTests.target(), route), (second, route)],
            keyFile: key,
            stateDirectory: nil
        )
        #expect(keys == ["http://cache:8080": Self.publicKey])
        let copies = runner.invocations.filter { $0.arguments.contains("copy") }
        #expect(copies.count == 1)
        #expect(
            copies.first?.arguments.suffix(4)
                == [
                    "--to", "http://cache:8080?secret-key=\(key)&compression=zstd", "/nix/store/abc-nixos-system-web1",
                    "/nix/store/def-other",
                ]
        )
    }

    @Test func testAStoreThisNixCannotOpenSaysSoNamingS3Support() async throws {
        let runner = Self.runner(
            copy: .init(status: .exited(1), standardError: ["error: don't know how to open Nix store 's3://bucket'"])
        )
        let copier = CopierTests.copier(runner: runner, controlDirectory: "/run/deploysh-x")
        let route = CacheRoute(pushTo: "s3://bucket", pullFrom: "s3://bucket", publicKey: nil, fallback: true)
        await #expect(throws: CacheError.unsupportedStore(url: "s3://bucket", nixVersion: NixVersion.v2_8.description))
        {
            _ = try await copier.upload(
                [(try CopierTests.target(), route)],
                keyFile: try Self.keyFile(),
                stateDirectory: nil
            )
        }
        let error = CacheError.unsupportedStore(url: "s3://bucket", nixVersion: "2.8.0")
        #expect(error.hint?.contains("without S3 support") == true)
    }

    @Test func testAKeyFileThatIsNotANixSecretKeyIsRefusedBeforeAnyUpload() async throws {
        let runner = Self.runner(copy: .init())
        let copier = CopierTests.copier(runner: runner, controlDirectory: "/run/deploysh-x")
        let path = NSTemporaryDirectory() + "deploysh-notakey-\(UUID().uuidString.prefix(8))"
        try "hello\n".write(toFile: path, atomically: true, encoding: .utf8)
        let route = CacheRoute(pushTo: "file:///c", pullFrom: "file:///c", publicKey: nil, fallback: true)
        await #expect(throws: CacheError.self) {
            _ = try await copier.upload([(try CopierTests.target(), route)], keyFile: path, stateDirectory: nil)
        }
        #expect(!runner.invocations.contains { $0.arguments.contains("copy") })
    }
}
