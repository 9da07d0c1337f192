import DeployKit
import DeployTestSupport
import Foundation
import Testing

/// Medium: `--log-dir` logs of real child processes (`sh`), two of them for one node at once.
@Suite(.tags(.medium), .timeLimit(.minutes(1)))
struct LoggingRunnerTests {
    /// Each script names the node's destination as `$0`, so the runner files it under `web1`.
    @Test func testConcurrentCommandsOfOneNodeAreEachWrittenWholeUnderTheirOwnHeader() async throws {
        let directory = try TestEnvironment.temporaryDirectory("logs").path
        let runner = LoggingRunner(
            base: SubprocessRunner(),
            directory: directory,
            nodeByDestination: ["root@web1": "web1"]
        )
        let first = "echo a1 >&2; sleep 0.4; echo a2 >&2; echo out-a"
        let second = "sleep 0.2; echo b1 >&2; sleep 0.4; echo b2 >&2; exit 3"
        async let a = runner.run(Invocation("sh", ["-c", first, "root@web1"]))
        async let b = runner.run(Invocation("sh", ["-c", second, "root@web1"]))
        let results = try await [a, b]
        #expect(results.map(\.status) == [.exited(0), .exited(3)])
        let log = try String(contentsOfFile: directory + "/web1.log", encoding: .utf8)
        let blocks = log.components(separatedBy: "$ ").filter { !$0.isEmpty }.map { "$ " + $0 }
        let blockA = """
            $ sh -c 'echo a1 >&2; sleep 0.4; echo a2 >&2; echo out-a' root@web1
              a1
              a2
              > out-a
              (\(TerminationStatus.exited(0)))

            """
        let blockB = """
            $ sh -c 'sleep 0.2; echo b1 >&2; sleep 0.4; echo b2 >&2; exit 3' root@web1
              b1
              b2
              (\(TerminationStatus.exited(3)))

            """
        #expect(Set(blocks) == [blockA, blockB], "\(log)")
    }
}
