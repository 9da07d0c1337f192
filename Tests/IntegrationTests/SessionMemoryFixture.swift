import DeployKit
import DeployShell
import DeployTestSupport
import Foundation

/// Flakes for the session-memory tests: one profile per node on a profile path of the test's
/// own (so tests can share a testbed), written in versions that replace each other in place.
struct SessionMemoryFixture {
    var fixture: DeployFixture
    /// The profile path on every node, unique to this fixture.
    var profilePath: String
    /// The flake every version is written to (`path:DIR`).
    var flake: String
    /// Whether each node also has a profile `next` on the same profile path.
    var hasNext: Bool

    /// - Parameters:
    ///   - nonce: Another fixture's nonce, for the same profile names on another testbed.
    ///   - flake: Another fixture's flake, rewritten in place for this testbed.
    init(testbed: Testbed, nodes: Int, nonce: String? = nil, flake: String? = nil, hasNext: Bool = false) throws {
        self.hasNext = hasNext
        fixture = try DeployFixture(testbed: testbed)
        if let nonce { fixture.nonce = nonce }
        profilePath = "/nix/var/nix/profiles/memory-" + fixture.nonce
        self.flake = flake ?? ""
        self.flake = try write(version: "v0", nodes: nodes)
    }

    var testbed: Testbed { fixture.testbed }

    /// Writes version `version` of the flake in place: node `nI` gets profile `system` with a
    /// store path of its own per version; `extra` adds activation lines per node index.
    @discardableResult
    func write(
        version: String,
        nodes: Int,
        extra: [Int: String] = [:],
        settings: String = "confirmTimeout = 20;"
    ) throws -> String {
        let written = try fixture.write(
            nodes: (1...nodes).map { index in
                let path = fixture.profile("\(version)-n\(index)", extra: extra[index] ?? "")
                let next =
                    hasNext
                    ? "next = { profilePath = \"\(profilePath)\"; path = \(fixture.profile("next-n\(index)")); }; " : ""
                return (
                    "n\(index)", index, "{ system = { profilePath = \"\(profilePath)\"; path = \(path); }; \(next)}"
                )
            },
            settings: settings
        )
        guard !flake.isEmpty else { return written }
        let target = String(flake.dropFirst("path:".count)) + "/flake.nix"
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(
            atPath: String(written.dropFirst("path:".count)) + "/flake.nix",
            toPath: target
        )
        return flake
    }

    /// The store path node `index`'s profile points to now.
    func current(_ index: Int) -> String? { testbed.profileTarget(node: index, profile: profilePath) }

    /// The name of what node `index`'s profile points to (the store path without its hash).
    func currentName(_ index: Int) -> String? {
        current(index).flatMap { $0.split(separator: "-", maxSplits: 1).last.map(String.init) }
    }

    /// Runs `command` on node `index` over ssh (as root, host keys checked).
    func ssh(_ index: Int, _ command: String) async throws -> CommandResult {
        try await SubprocessRunner(environment: TestEnvironment.nixEnvironment).run(
            Invocation("ssh", ["-F", testbed.sshConfig, "root@" + testbed.address(index), command])
        )
    }

    /// A private `XDG_STATE_HOME` and the transcript store under it.
    static func stateHome() throws -> (home: String, store: TranscriptStore) {
        let home = try TestEnvironment.temporaryDirectory("state").path
        return (home, TranscriptStore(stateDirectory: home + "/deploysh"))
    }
}
