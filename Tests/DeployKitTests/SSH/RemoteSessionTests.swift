import DeployTestSupport
import Foundation
import Testing

@testable import DeployKit

/// Small: the shared connections of ``RemoteSession`` over ``FakeFleet`` (no process, no network).
@Suite(.tags(.small), .timeLimit(.minutes(1))) struct RemoteSessionTests {
    @Test func testConcurrentConnectsToOneHostShareOneConnection() async throws {
        let fleet = FakeFleet([FakeNode("a")])
        let runner = RecordingRunner { fleet.respond(to: $0) }
        let directory = try TestEnvironment.temporaryDirectory("remote").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let remote = RemoteSession(runner: runner, controlDirectory: directory + "/ctl")
        let profile = SSHDestinationTests.profile(host: "a", sshUser: "root")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await remote.connect(profile) } }
            try await group.waitForAll()
        }
        try await remote.connect(profile)
        await remote.shutdown()
        let masters = runner.invocations.filter { $0.arguments.contains("-M") }
        #expect(masters.count == 1)
    }

    @Test func testAFailedConnectIsTriedAgainByTheNextCaller() async throws {
        let fleet = FakeFleet([FakeNode("a", isReachable: false)])
        let runner = RecordingRunner { fleet.respond(to: $0) }
        let directory = try TestEnvironment.temporaryDirectory("remote").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let remote = RemoteSession(runner: runner, controlDirectory: directory + "/ctl")
        let profile = SSHDestinationTests.profile(host: "a", sshUser: "root")
        for _ in 0..<2 {
            await #expect(throws: CommandFailure.self) { try await remote.connect(profile) }
        }
        await remote.shutdown()
        #expect(runner.invocations.filter { $0.arguments.contains("-M") }.count == 2)
    }
}
