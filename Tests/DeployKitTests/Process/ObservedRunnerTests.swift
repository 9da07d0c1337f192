import DeployTestSupport
import Synchronization
import Testing

@testable import DeployKit

/// Small: `deploy -d` sees every command, in order, before it runs.
@Suite struct ObservedRunnerTests {
    @Test func testObserverSeesEachInvocationBeforeItRuns() async throws {
        let base = RecordingRunner()
        let seen = Mutex<[(String, Int)]>([])
        let runner = ObservedRunner(base) { invocation in
            seen.withLock { $0.append((invocation.commandLine, base.invocations.count)) }
        }
        _ = try await runner.run(Invocation("nix", ["--version"]))
        _ = try await runner.run(Invocation("ssh", ["-F", "my config", "host", "true"]))
        let observed = seen.withLock { $0 }
        #expect(observed.map(\.0) == ["nix --version", "ssh -F 'my config' host true"])
        #expect(observed.map(\.1) == [0, 1])
        #expect(base.invocations.count == 2)
    }
}
