import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: `undo` on real nodes, in this session and from another process's transcript.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(4)), .sharedTestbed(nodes: 3))
@MainActor
struct UndoTests {
    /// Every node on generation 1 (version v0) before the session under test starts.
    static func prepared() throws -> (SessionMemoryFixture, [String?]) {
        let memory = try SessionMemoryFixture(testbed: try Testbed.shared(), nodes: 3)
        return (memory, [])
    }

    static func deployV0(_ memory: SessionMemoryFixture) async throws -> [String?] {
        let setup = TestShell()
        #expect(await setup.run("load \(memory.flake); deploy n1 n2 n3") == .success, "\(setup.takeErrors())")
        await setup.session.shutdown()
        return (1...3).map { memory.current($0) }
    }

    @Test func testUndoReturnsTargetsDeployedTwiceToTheirPreSessionGenerations() async throws {
        let (memory, _) = try Self.prepared()
        let before = try await Self.deployV0(memory)
        let shell = TestShell()
        try memory.write(version: "v1", nodes: 3)
        #expect(await shell.run("load \(memory.flake); deploy n1 n2 n3") == .success, "\(shell.takeErrors())")
        try memory.write(version: "v2", nodes: 3)
        #expect(await shell.run("reload; deploy n1 n2") == .success, "\(shell.takeErrors())")
        #expect(memory.testbed.generations(node: 1, profile: memory.profilePath) == [1, 2, 3])
        _ = shell.takeOutput()
        #expect(await shell.run("undo") == .success, "\(shell.takeErrors())")
        #expect((1...3).map { memory.current($0) } == before)
        let output = shell.takeOutput()
        #expect(output.contains("undo summary: 3 rolled back"), "\(output)")
        // Reverse order of change: the second deploy's targets (n1, n2) first, n3 last.
        let rows = output.split(separator: "\n").filter { $0.hasPrefix("n") }.map { $0.prefix(9) }
        #expect(rows.last == "n3.system", "\(output)")
        await shell.session.shutdown()
    }

    @Test func testATargetChangedByAnotherProcessIsRefusedAndForceReturnsIt() async throws {
        let (memory, _) = try Self.prepared()
        let before = try await Self.deployV0(memory)
        let shell = TestShell()
        try memory.write(version: "v1", nodes: 3)
        #expect(await shell.run("load \(memory.flake); deploy n1 n2 n3") == .success, "\(shell.takeErrors())")
        // Someone else goes back to v0 on n2 by hand: generation 3 on the node.
        let other = try await memory.ssh(2, "nix-env -p \(memory.profilePath) --set \(before[1] ?? "")")
        #expect(other.succeeded, "\(other.standardErrorTail)")
        _ = shell.takeErrors()
        #expect(await shell.run("undo") == .failed)
        let errors = shell.takeErrors()
        #expect(
            errors.contains(
                "error: n2.system is on generation 3, not generation 2 that the session left: someone changed it since; not undone"
            ),
            "\(errors)"
        )
        #expect(errors.contains("hint: Run `generations` to look, then `undo --force` to return it anyway."))
        #expect(memory.current(1) == before[0] && memory.current(3) == before[2])
        #expect(memory.testbed.generations(node: 2, profile: memory.profilePath) == [1, 2, 3])
        #expect(await shell.run("undo --force") == .success, "\(shell.takeErrors())")
        #expect(memory.testbed.generations(node: 2, profile: memory.profilePath) == [1, 2, 3])
        #expect((1...3).map { memory.current($0) } == before)
        await shell.session.shutdown()
    }

    @Test func testUndoSessionFromASecondProcessAfterTheFirstExited() async throws {
        let (memory, _) = try Self.prepared()
        let before = try await Self.deployV0(memory)
        try memory.write(version: "v1", nodes: 3)
        let (home, store) = try SessionMemoryFixture.stateHome()
        let first = try await DeployerProcess.start(
            arguments: ["-c", "load \(memory.flake); deploy n1 n3"],
            environment: ["XDG_STATE_HOME": home]
        )
        #expect(await first.waitForExit(seconds: 90) == 0)
        #expect(memory.current(1) != before[0])
        let id = try #require(store.ids().last)
        let second = try await DeployerProcess.start(
            arguments: ["-c", "undo --session \(id)"],
            environment: ["XDG_STATE_HOME": home]
        )
        #expect(await second.waitForExit(seconds: 90) == 0, "\(second.standardOutput)")
        #expect((1...3).map { memory.current($0) } == before)
        #expect(store.ids().count == 2)
    }

    @Test func testUndoSessionAfterTheFirstProcessWasKilledDuringADeploy() async throws {
        let (memory, _) = try Self.prepared()
        let before = try await Self.deployV0(memory)
        // n3's activation takes 3 s, so the second deploy of n3 can be killed in the middle.
        try memory.write(version: "v1", nodes: 3, extra: [3: "sleep 3"], settings: "confirmTimeout = 3;")
        let (home, store) = try SessionMemoryFixture.stateHome()
        let first = try await DeployerProcess.start(
            arguments: ["-c", "load \(memory.flake); deploy n1 n2 n3; echo deployed; deploy n3"],
            environment: ["XDG_STATE_HOME": home]
        )
        #expect(await first.waitForOutput(containing: "deployed", seconds: 90))
        let id = try #require(store.ids().last)
        let activating = try await poll(tries: 100) {
            let lines = (try? store.read(id)) ?? []
            let plans = lines.filter { $0.type == .plan }.count
            return plans == 2
                && lines.last { $0.type == .event }.map { $0.step == "activate" && $0.kind == "started" } == true
        }
        #expect(activating)
        try await Task.sleep(for: .seconds(1))
        first.kill()
        // Every line the killed deployer wrote is whole and parses.
        let text = try String(contentsOfFile: store.path(of: id), encoding: .utf8)
        for line in text.split(separator: "\n") {
            #expect((try? JSONValue.parse(String(line))) != nil, "\(line)")
        }
        #expect(!text.contains(#""type":"end""#))
        // The node's lock is held until the killed activation and its watchdog are done.
        #expect(try await Self.undoSession(id, home: home) == 0)
        #expect((1...3).map { memory.current($0) } == before)
    }

    @Test func testAFreshProfileIsNotUndoneToNothing() async throws {
        let memory = try SessionMemoryFixture(testbed: try Testbed.shared(), nodes: 1)
        let shell = TestShell()
        #expect(await shell.run("load \(memory.flake); deploy n1") == .success, "\(shell.takeErrors())")
        let deployed = memory.current(1)
        _ = shell.takeErrors()
        #expect(await shell.run("undo") == .failed)
        let errors = shell.takeErrors()
        #expect(
            errors.contains(
                "error: n1.system had no generation before the session; undo cannot return it to nothing (profiles are never deleted); left as it is"
            ),
            "\(errors)"
        )
        #expect(memory.current(1) == deployed)
        await shell.session.shutdown()
    }

    @Test func testADeletedGenerationFailsThatTargetOnlyAndIsNamed() async throws {
        let (memory, _) = try Self.prepared()
        let before = try await Self.deployV0(memory)
        let shell = TestShell()
        try memory.write(version: "v1", nodes: 3)
        #expect(await shell.run("load \(memory.flake); deploy n1 n2") == .success, "\(shell.takeErrors())")
        let deleted = try await memory.ssh(1, "nix-env -p \(memory.profilePath) --delete-generations 1")
        #expect(deleted.succeeded, "\(deleted.standardErrorTail)")
        let left = memory.current(1)
        _ = shell.takeErrors()
        #expect(await shell.run("undo") == .failed)
        let errors = shell.takeErrors()
        #expect(errors.contains("\(memory.profilePath) has no generation 1; nothing was changed"), "\(errors)")
        #expect(memory.current(1) == left)
        #expect(memory.current(2) == before[1])
        await shell.session.shutdown()
    }

    @Test func testUndoSessionAfterTheFirstProcessWasKilledDuringItsFirstDeploy() async throws {
        let (memory, _) = try Self.prepared()
        let before = try await Self.deployV0(memory)
        try memory.write(version: "v1", nodes: 3, extra: [3: "sleep 3"], settings: "confirmTimeout = 3;")
        let (home, store) = try SessionMemoryFixture.stateHome()
        let first = try await DeployerProcess.start(
            arguments: ["-c", "load \(memory.flake); deploy --jobs 1 n1 n2 n3"],
            environment: ["XDG_STATE_HOME": home]
        )
        let activating = try await poll(tries: 600) {
            let lines = store.ids().last.flatMap { try? store.read($0) } ?? []
            return lines.contains { $0.type == .event && $0.target == "n3.system" && $0.step == "activate" }
        }
        #expect(activating)
        try await Task.sleep(for: .seconds(1))
        first.kill()
        let id = try #require(store.ids().last)
        #expect(try store.read(id).contains { $0.type == .summary } == false)
        #expect(memory.current(1) != before[0] && memory.current(2) != before[1])
        #expect(try await Self.undoSession(id, home: home) == 0)
        #expect((1...3).map { memory.current($0) } == before)
    }

    /// `undo --session ID` in a new deployer, tried again a few times while the node's lock is
    /// still held by the killed deploy's activation and watchdog; its last exit status.
    static func undoSession(_ id: String, home: String) async throws -> Int32? {
        var status: Int32?
        for _ in 0..<6 where status != 0 {
            let second = try await DeployerProcess.start(
                arguments: ["-c", "undo --session \(id)"],
                environment: ["XDG_STATE_HOME": home]
            )
            status = await second.waitForExit(seconds: 90)
            if status != 0 { try await Task.sleep(for: .seconds(3)) }
        }
        return status
    }
}
