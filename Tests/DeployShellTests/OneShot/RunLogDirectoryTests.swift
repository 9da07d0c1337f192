import DeployTestSupport
import Foundation
import Testing

@testable import DeployShell

/// Medium: where the one-shot keeps each run's logs, and how old runs are pruned (real files).
@Suite(.tags(.medium)) struct RunLogDirectoryTests {
    @Test func testEachRunGetsItsOwnDirectoryUnderTheStateDirectoryNamedByItsTime() throws {
        let state = try TestEnvironment.temporaryDirectory("run-logs").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let time = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00:00 UTC
        let first = try RunLogDirectory.create(stateDirectory: state, at: time)
        let second = try RunLogDirectory.create(stateDirectory: state, at: time)
        #expect(first.hasPrefix(state + "/logs/deploy-20270115-080000-"), "\(first)")
        #expect(second != first)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func testOnlyTheNewestRunsAreKept() throws {
        let state = try TestEnvironment.temporaryDirectory("run-logs").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        var made: [String] = []
        for second in 0..<25 {
            made.append(
                try RunLogDirectory.create(
                    stateDirectory: state,
                    at: Date(timeIntervalSince1970: Double(second)),
                    keeping: 20
                )
            )
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: state + "/logs").sorted()
        #expect(left.count == 20)
        #expect(left.map { state + "/logs/" + $0 } == Array(made.suffix(20)))
    }

    @Test func testAnythingElseInTheLogsDirectoryIsLeftAlone() throws {
        let state = try TestEnvironment.temporaryDirectory("run-logs").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state + "/logs/mine", withIntermediateDirectories: true)
        for second in 0..<3 {
            _ = try RunLogDirectory.create(
                stateDirectory: state,
                at: Date(timeIntervalSince1970: Double(second)),
                keeping: 1
            )
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: state + "/logs").sorted()
        #expect(left.count == 2)
        #expect(left.contains("mine"))
    }

    @Test func testTheRequestKeepsAnExplicitLogDirectory() throws {
        let state = try TestEnvironment.temporaryDirectory("run-logs").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let explicit = DeployRequest(logDirectory: "/tmp/mine")
        #expect(try explicit.withRunLogDirectory(stateDirectory: state).logDirectory == "/tmp/mine")
        let defaulted = try DeployRequest().withRunLogDirectory(stateDirectory: state).logDirectory
        #expect(defaulted?.hasPrefix(state + "/logs/deploy-") == true, "\(String(describing: defaulted))")
    }
}
