import DeployKit
import DeployTestSupport
import Foundation
import Testing

/// Large: `scripts/install` builds a release binary that runs where no Swift toolchain is.
///
/// The installed binary is run with an empty environment (a PATH without the toolchain) and in
/// a mount namespace where the toolchain's directory is hidden under an empty tmpfs.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(30)))
@MainActor
struct InstallTests {
    @Test func testInstalledBinaryRunsWithTheToolchainOutOfReach() async throws {
        let prefix = try TestEnvironment.temporaryDirectory("prefix").path
        let root = TestEnvironment.repositoryRoot.path
        let runner = SubprocessRunner(environment: ["DEPLOYSH_INSTALL_SCRATCH": root + "/.build-install"])
        let install = try await runner.run(Invocation(root + "/scripts/install", [prefix]))
        try #require(install.succeeded, "\(install.standardErrorTail.joined(separator: "\n"))")
        let binary = prefix + "/bin/deploysh"
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        // FoundationEssentials only: full Foundation brings ICU's data (about 50 MB more).
        let size = try FileManager.default.attributesOfItem(atPath: binary)[.size] as? Int ?? 0
        #expect(
            size < 60_000_000,
            "\(size) bytes: a source file imports Foundation instead of FoundationEssentials (see StandardStream)"
        )

        let swift = try await runner.run(Invocation("sh", ["-c", "command -v swift"]))
        let toolchain = URL(fileURLWithPath: swift.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        try #require(toolchain.count > 1, "no swift on PATH: \(swift.standardOutput)")
        let ldd = try await runner.run(Invocation("ldd", [binary]))
        #expect(ldd.succeeded)
        #expect(!ldd.standardOutput.contains(toolchain), "\(ldd.standardOutput)")
        #expect(!ldd.standardOutput.contains("libswift"), "\(ldd.standardOutput)")
        #expect(!ldd.standardOutput.contains("libFoundation"), "\(ldd.standardOutput)")

        let manual = try String(contentsOfFile: prefix + "/share/man/man1/deploysh.1", encoding: .utf8)
        #expect(manual == (try String(contentsOfFile: root + "/docs/deploysh.1", encoding: .utf8)))

        let flake = try FlakeFixtures.write(deploy: LoadTests.fleet)
        let script = [
            "mount -t tmpfs none \(RemoteShell.quote(toolchain))",
            "exec env -i PATH=/usr/bin:/bin NIX_CONFIG=\(RemoteShell.quote(TestEnvironment.nixConfig))"
                + " \(RemoteShell.quote(binary)) -c \(RemoteShell.quote("echo hi; load \(flake); nodes"))",
        ].joined(separator: " && ")
        let hidden = try await runner.run(
            Invocation("unshare", ["-m", "--propagation", "private", "sh", "-c", script])
        )
        #expect(hidden.status == .exited(0), "\(hidden.standardErrorTail.joined(separator: "\n"))")
        #expect(hidden.standardOutput.hasPrefix("hi\nloaded \(flake): 3 nodes"), "\(hidden.standardOutput)")
        #expect(hidden.standardOutput.contains("web2"), "\(hidden.standardOutput)")
    }
}
