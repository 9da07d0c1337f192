import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: `confirm`, `rollback` and `generations` over several nodes of one shared testbed:
/// every target attempted, the summary truthful, a failing node hiding no other.
/// Each test uses its own profile path.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(5)), .sharedTestbed(nodes: 3))
@MainActor
struct StepCommandTests {
    /// A flake with one profile `p` at `path` on nodes n1, n2, n3; `extra(i)` is more Nix
    /// attributes of node i's profile.
    static func flake(
        _ fixture: DeployFixture,
        path: String,
        profile: (Int) -> String,
        extra: (Int) -> String = { _ in "" }
    ) throws -> String {
        try fixture.write(
            nodes: (1...3).map { index in
                (
                    "n\(index)", index,
                    "{ p = { profilePath = \(FlakeFixtures.nixString(path)); path = \(profile(index)); \(extra(index)) }; }"
                )
            },
            settings: "confirmTimeout = 30;"
        )
    }

    @Test func testConfirmConfirmsTheOthersWhenOneNodeHasAlreadyRolledBack() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/steps-confirm"
        let old = try Self.flake(fixture, path: path) { fixture.profile("old\($0)") }
        // n2's magic rollback fires after 3 s: its pending activation is gone before `confirm`.
        let new = try Self.flake(
            fixture,
            path: path,
            profile: { fixture.profile("new\($0)") },
            extra: { $0 == 2 ? "confirmTimeout = 3;" : "" }
        )
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(old); deploy 'n*'") == .success, "\(shell.takeErrors())")
        let before = (1...3).map { testbed.profileTarget(node: $0, profile: path) }
        #expect(
            await shell.run("load \(new); build 'n*'; copy 'n*'; activate --no-confirm 'n*'") == .success,
            "\(shell.takeErrors())"
        )
        #expect(shell.session.ledger.pending.count == 3)
        let rolledBack = try await poll(tries: 150, every: .milliseconds(200)) {
            testbed.profileTarget(node: 2, profile: path) == before[1] && fixture.activations(of: "old2").count == 2
        }
        #expect(rolledBack)
        _ = shell.takeOutput()
        _ = shell.takeErrors()

        #expect(await shell.run("confirm") == .failed)
        let rows = try shell.takeSummaryRows()
        #expect(Set(rows.keys) == ["n1.p", "n2.p", "n3.p"])
        for index in [1, 3] {
            #expect(rows["n\(index).p"]?["state"]?.stringValue == "confirmed", "\(rows)")
            #expect(rows["n\(index).p"]?["generationAfter"]?.intValue == 2, "\(rows)")
            #expect(testbed.profileTarget(node: index, profile: path)?.contains("-new\(index)-") == true)
            #expect(testbed.generations(node: index, profile: path) == [1, 2])
        }
        #expect(rows["n2.p"]?["state"]?.stringValue == "rolled back", "\(rows)")
        #expect(rows["n2.p"]?["generationAfter"]?.intValue == 1, "\(rows)")
        #expect(rows["n2.p"]?["failure"]?.stringValue == "notConfirmed", "\(rows)")
        // BEFORE is known after a failed confirm too: the node reported it at activation.
        #expect(rows["n2.p"]?["generationBefore"]?.intValue == 1, "\(rows)")
        #expect(rows["n1.p"]?["generationBefore"]?.intValue == 1, "\(rows)")
        #expect(testbed.profileTarget(node: 2, profile: path) == before[1])
        let errors = shell.takeErrors()
        #expect(errors.contains("confirm failed on n2.p: not confirmed: rolled back to generation 1"), "\(errors)")
        #expect(
            errors.contains(
                "Its magic rollback fired first (confirmTimeout is 3 s): activate it again and confirm in time, "
                    + "or raise confirmTimeout (`set confirmTimeout 120`)."
            ),
            "\(errors)"
        )
        // The session follows the summary's typed rows: nothing is left waiting.
        #expect(shell.session.ledger.pending.isEmpty)
        #expect(shell.session.ledger[ProfileRef(node: "n2", profile: "p")]?.state == .rolledBack)
        #expect(shell.session.ledger[ProfileRef(node: "n1", profile: "p")]?.state == .confirmed)
    }

    /// Its own testbed: it stops a node's sshd.
    @Test func testConfirmOfANodeWhoseSSHDStoppedReportsWhatTheNodeDid() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let path = "/nix/var/nix/profiles/steps-down"
            let flake = { (version: String) in
                try fixture.write(
                    nodes: [1, 2].map { index in
                        (
                            "n\(index)", index,
                            "{ p = { profilePath = \(FlakeFixtures.nixString(path)); confirmTimeout = \(index == 2 ? 5 : 30); "
                                + "path = \(fixture.profile("\(version)\(index)")); }; }"
                        )
                    }
                )
            }
            let shell = TestShell(json: true)
            #expect(await shell.run("load \(try flake("old")); deploy 'n*'") == .success, "\(shell.takeErrors())")
            let before = [1, 2].map { testbed.profileTarget(node: $0, profile: path) }
            #expect(
                await shell.run("load \(try flake("new")); build 'n*'; copy 'n*'; activate --no-confirm 'n*'")
                    == .success,
                "\(shell.takeErrors())"
            )
            _ = shell.takeOutput()
            // New connections to n2 are refused from now on; a session already open may live on.
            try await testbed.stopNode(2)
            #expect(await shell.run("confirm") == .failed)
            let rows = try shell.takeSummaryRows()
            #expect(rows["n1.p"]?["state"]?.stringValue == "confirmed", "\(rows)")
            #expect(testbed.profileTarget(node: 1, profile: path)?.contains("-new1-") == true)
            // Truth rule: `rolled back` only when the node is back, else `unknown`; never `confirmed`.
            let back = try await poll(tries: 100, every: .milliseconds(200)) {
                testbed.profileTarget(node: 2, profile: path) == before[1]
            }
            #expect(back, "the watchdog of n2 rolls back: its canary was never deleted")
            let state = rows["n2.p"]?["state"]?.stringValue
            #expect(state == "rolled back" || state == "unknown", "\(rows)")
            if state == "rolled back" { #expect(rows["n2.p"]?["generationAfter"]?.intValue == 1, "\(rows)") }
            #expect(shell.session.ledger.pending.isEmpty)
        }
    }

    @Test func testRollbackRollsBackTheOthersWhenOneNodeLacksTheGeneration() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/steps-rollback"
        let old = try Self.flake(fixture, path: path) { fixture.profile("old\($0)") }
        let new = try Self.flake(fixture, path: path) { fixture.profile("new\($0)") }
        let shell = TestShell()
        #expect(
            await shell.run("load \(old); deploy 'n*'; load \(new); deploy 'n*'") == .success,
            "\(shell.takeErrors())"
        )
        let before = (1...3).map { testbed.profileTarget(node: $0, profile: path) }
        // n2 has no generation 1 any more (as after `nix-env --delete-generations 1`).
        try FileManager.default.removeItem(atPath: testbed.hostPath(node: 2, path + "-1-link"))
        _ = shell.takeOutput()
        _ = shell.takeErrors()

        #expect(await shell.run("rollback --to 1 'n*'", file: "r.dsh") == .failed)
        let output = shell.takeOutput()
        #expect(
            output == """
                rollback summary: 1 rollback failed (n2.p: \(path) has no generation 1; nothing was changed), 2 rolled back
                TARGET  STATE            BEFORE  AFTER  DETAIL
                n1.p    rolled back      2       1
                n2.p    rollback failed  2       2      \(path) has no generation 1; nothing was changed
                n3.p    rolled back      2       1

                """,
            "\(output)"
        )
        for index in [1, 3] {
            #expect(testbed.profileTarget(node: index, profile: path)?.contains("-old\(index)-") == true)
            #expect(fixture.activations(of: "old\(index)").count == 2)
        }
        #expect(testbed.profileTarget(node: 2, profile: path) == before[1])
        let errors = shell.takeErrors()
        #expect(
            errors.contains(
                "r.dsh:1:1: error: rollback failed on n2.p: \(path) has no generation 1; nothing was changed\n"
            ),
            "\(errors)"
        )
        #expect(errors.contains("\n    error: \(path) has no generation 1\n"), "\(errors)")
        #expect(errors.hasSuffix("\nhint: Run `generations n2.p` to list the generations there.\n"), "\(errors)")
        #expect(shell.session.ledger[ProfileRef(node: "n1", profile: "p")]?.generation == 1)
    }

    @Test func testGenerationsListsTheOtherNodesWhenOneIsDown() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let path = "/nix/var/nix/profiles/steps-generations"
        let profile = { (name: String) in
            "{ p = { profilePath = \(FlakeFixtures.nixString(path)); path = \(fixture.profile(name)); }; }"
        }
        // n3's address is in the testbed's range, but no node listens there: a host that is down.
        let flake = try fixture.write(nodes: [
            ("n1", 1, profile("gen1")), ("n2", 2, profile("gen2")), ("n3", 9, profile("gen3")),
        ])
        let shell = TestShell(json: true)
        #expect(await shell.run("load \(flake); deploy n1 n2") == .success, "\(shell.takeErrors())")
        _ = shell.takeOutput()
        _ = shell.takeErrors()

        #expect(await shell.run("generations 'n*'") == .failed)
        let errors = shell.takeErrors()
        #expect(
            errors.contains("generations failed on n3.p: cannot connect to root@\(testbed.address(9)) (node 'n3')"),
            "\(errors)"
        )
        let report = try #require(try shell.takeJSONLines().last)
        #expect(report["ok"]?.boolValue == false)
        let rows = report["targets"]?.arrayValue ?? []
        #expect(rows.map { $0["target"]?.stringValue } == ["n1.p", "n2.p", "n3.p"])
        for (index, row) in zip(1...2, rows) {
            let generations = row["generations"]?.arrayValue ?? []
            #expect(generations.map { $0["number"]?.intValue } == [1], "\(rows)")
            #expect(generations.first?["isCurrent"]?.boolValue == true)
            #expect(generations.first?["storePath"]?.stringValue?.contains("-gen\(index)-") == true)
            #expect(row["error"] == nil)
        }
        #expect(rows[2]["generations"]?.arrayValue?.isEmpty == true)
        #expect(rows[2]["error"]?.stringValue?.contains("cannot connect to") == true, "\(rows)")
        // The hint follows ssh's cause: nothing listens on a stopped node's port.
        #expect(
            rows[2]["hint"]?.stringValue?.contains("refused the connection: check that sshd runs there") == true,
            "\(rows)"
        )
    }
}
