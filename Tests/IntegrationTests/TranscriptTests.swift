import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: session transcripts written by the real binary and by a session, read back.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(4)))
@MainActor
struct TranscriptTests {
    @Test func testATranscriptHoldsCommandsPlanEventsAndSummaryOfADeployWithAFailingNode() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let memory = try SessionMemoryFixture(testbed: testbed, nodes: 2)
            try memory.write(version: "v1", nodes: 2, extra: [2: "echo broken >&2; exit 3"])
            let (home, store) = try SessionMemoryFixture.stateHome()
            let script = "load \(memory.flake)\ndeploy n1 n2 --keep-going\n"
            let file = try TestEnvironment.temporaryDirectory("script").path + "/deploy.dsh"
            try script.write(toFile: file, atomically: true, encoding: .utf8)
            let deployer = try await DeployerProcess.start(
                arguments: ["-f", file],
                environment: ["XDG_STATE_HOME": home]
            )
            #expect(await deployer.waitForExit(seconds: 90) == 1)
            let id = try #require(store.ids().last)
            let text = try String(contentsOfFile: store.path(of: id), encoding: .utf8)
            let json = try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
            let lines = try store.read(id)
            #expect(json.count == lines.count)
            #expect(lines.map(\.type).first == .start && lines.last?.type == .end)
            #expect(lines.first?.version == DeployshVersion.current && lines.first?.face == "script")
            #expect(lines.last?.status == 1)
            let commands = lines.filter { $0.type == .command }
            #expect(commands.map(\.text) == ["load \(memory.flake)", "deploy n1 n2 --keep-going"])
            #expect(commands.map { $0.location?.line } == [1, 2])
            #expect(commands.first?.location?.file == file)
            let plan = try #require(lines.first { $0.type == .plan })
            #expect(plan.targets?.map(\.target) == ["n1.system", "n2.system"])
            #expect(plan.targets?.first?.profilePath == memory.profilePath)
            #expect(
                lines.contains {
                    $0.type == .event && $0.target == "n2.system" && $0.step == "activate" && $0.kind == "failed"
                }
            )
            let summary = try #require(lines.first { $0.type == .summary })
            #expect(summary.ok == false)
            #expect(summary.targets?.map(\.target) == ["n1.system", "n2.system"])
            #expect(summary.targets?.first?.state == "confirmed")
            #expect(summary.targets?.last?.error?.contains("exit status 3") == true, "\(summary)")
            #expect(summary.targets?.first?.flake == memory.flake)
            #expect(summary.targets?.first?.generationAfter == 1)
            #expect(lines.contains { $0.type == .error && $0.message?.contains("n2.system") == true })
            let attributes = try FileManager.default.attributesOfItem(atPath: store.path(of: id))
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test func testASessionScriptReplayedOnAFreshTestbedReachesTheSameGenerations() async throws {
        let (home, store) = try SessionMemoryFixture.stateHome()
        var original: SessionMemoryFixture?
        var reached: [[Int]] = []
        var names: [String?] = []
        var script = ""
        try await withTestbed(nodes: 2) { testbed in
            let memory = try SessionMemoryFixture(testbed: testbed, nodes: 2, hasNext: true)
            original = memory
            let shell = TestShell(stateDirectory: home + "/deploysh")
            try shell.session.startTranscript(in: store, face: "script", argv: ["deploysh", "-f", "x.dsh"])
            #expect(
                await shell.run("load \(memory.flake)\ndeploy n1.system n2.system") == .success,
                "\(shell.takeErrors())"
            )
            #expect(await shell.run("deploy n1.next") == .success, "\(shell.takeErrors())")
            reached = (1...2).map { testbed.generations(node: $0, profile: memory.profilePath) }
            names = (1...2).map { memory.currentName($0) }
            let id = try #require(shell.session.transcript?.id)
            _ = shell.takeOutput()
            #expect(await shell.run("sessions script \(id)") == .success, "\(shell.takeErrors())")
            script = shell.takeOutput()
            shell.session.endTranscript(status: 0)
            await shell.session.shutdown()
        }
        let first = try #require(original)
        #expect(reached == [[1, 2], [1]])
        #expect(script.contains("\nload \(first.flake)\ndeploy n1.system n2.system\ndeploy n1.next\n"), "\(script)")
        try await withTestbed(nodes: 2) { testbed in
            // The same flake and profile names, pointed at the fresh nodes.
            let memory = try SessionMemoryFixture(
                testbed: testbed,
                nodes: 2,
                nonce: first.fixture.nonce,
                flake: first.flake,
                hasNext: true
            )
            let file = try TestEnvironment.temporaryDirectory("replay").path + "/replay.dsh"
            try script.write(toFile: file, atomically: true, encoding: .utf8)
            let replay = try await DeployerProcess.start(arguments: ["-f", file])
            #expect(await replay.waitForExit(seconds: 120) == 0, "\(replay.standardOutput)")
            #expect((1...2).map { testbed.generations(node: $0, profile: memory.profilePath) } == reached)
            #expect((1...2).map { memory.currentName($0) } == names)
        }
    }

    @Test func testTheOneShotDeployWritesATranscriptThatUndoSessionReads() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let memory = try SessionMemoryFixture(testbed: testbed, nodes: 1)
            let setup = TestShell()
            #expect(await setup.run("load \(memory.flake); deploy n1") == .success, "\(setup.takeErrors())")
            await setup.session.shutdown()
            let before = memory.current(1)
            try memory.write(version: "v1", nodes: 1)
            let (home, store) = try SessionMemoryFixture.stateHome()
            let deploy = try await DeployerProcess.start(
                arguments: ["deploy", "-s", memory.flake + "#n1.system"],
                environment: ["XDG_STATE_HOME": home]
            )
            #expect(await deploy.waitForExit(seconds: 90) == 0)
            let id = try #require(store.ids().last)
            let lines = try store.read(id)
            #expect(lines.first?.face == "deploy")
            #expect(lines.first { $0.type == .command }?.text == "deploy -s '\(memory.flake)#n1.system'")
            #expect(lines.contains { $0.type == .summary && $0.targets?.first?.changed == true })
            #expect(lines.last?.type == .end && lines.last?.status == 0)
            #expect(memory.current(1) != before)
            let undo = try await DeployerProcess.start(
                arguments: ["-c", "undo --session \(id)"],
                environment: ["XDG_STATE_HOME": home]
            )
            #expect(await undo.waitForExit(seconds: 90) == 0, "\(undo.standardOutput)")
            #expect(memory.current(1) == before)
        }
    }
}
