import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: `drift` reads real nodes and changes none of them.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(6)))
@MainActor
struct DriftTests {
    @Test func testDriftNamesAChangedAPendingAndAnUnreachableTarget() async throws {
        try await withTestbed(nodes: 4) { testbed in
            let memory = try SessionMemoryFixture(testbed: testbed, nodes: 4)
            let shell = TestShell(json: true)
            #expect(await shell.run("load \(memory.flake); deploy n1.system n2.system n3.system n4.system") == .success)
            let old = memory.current(2)
            try memory.write(version: "v1", nodes: 4)
            #expect(
                await shell.run(
                    "reload; deploy n1.system n2.system n4.system; build n3; copy n3; activate --no-confirm n3"
                ) == .success,
                "\(shell.takeErrors())"
            )
            let flakeSays = memory.current(2)
            // By hand on n2: back to the old closure, as a new generation.
            let set = try await memory.ssh(2, "nix-env -p \(memory.profilePath) --set \(old ?? "")")
            #expect(set.succeeded, "\(set.standardErrorTail)")
            try await testbed.stopNode(4)
            let generations = (1...3).map { testbed.generations(node: $0, profile: memory.profilePath) }
            // A new session: this one's shared connection to n4 outlives n4's sshd.
            let reader = TestShell(json: true)
            #expect(await reader.run("load \(memory.flake); drift n1.system n2.system n3.system n4.system") == .failed)
            let report = try #require(try reader.takeJSONLines().last)
            let rows = report["targets"]?.arrayValue ?? []
            #expect(
                rows.map { $0["state"]?.stringValue ?? "" } == [
                    "up to date", "drifted", "pending confirm", "unreachable",
                ],
                "\(report)"
            )
            #expect(rows[1]["running"]?.stringValue == old && rows[1]["expected"]?.stringValue == flakeSays)
            #expect(rows[1]["generation"]?.intValue == 3)
            #expect(rows[2]["pending"]?.arrayValue?.count == 1)
            #expect(rows[3]["error"]?.stringValue?.contains("n4") == true, "\(rows[3])")
            #expect(report["ok"]?.boolValue == false)
            // Nothing changed on any node.
            #expect((1...3).map { testbed.generations(node: $0, profile: memory.profilePath) } == generations)
            await reader.session.shutdown()
            await shell.session.shutdown()
        }
    }
}
