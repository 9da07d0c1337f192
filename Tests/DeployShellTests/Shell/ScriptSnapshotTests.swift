import DeployKit
import DeployTestSupport
import Foundation
import Testing

@testable import DeployShell

/// Whole scripts through the real ``Interpreter``, compared with golden transcripts.
///
/// Each `Fixtures/scripts/NAME.dsh` runs twice, as `deploysh --keep-going -f NAME.dsh` would:
/// its text output (both streams, in the order printed) must equal `NAME.expected`, and its
/// `--json` output `NAME.expected.json`. `UPDATE_SNAPSHOTS=1 swift test --filter
/// ScriptSnapshotTests` rewrites them on purpose. A script may load the example fleet as
/// `@FLEET@` (`path:` of `examples/fleet`, evaluated by the local nix; no testbed); timings
/// and that path are replaced by placeholders in the transcripts.
@Suite(.timeLimit(.minutes(1)))
@MainActor
struct ScriptSnapshotTests {
    nonisolated static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scripts").path

    /// `path:` of the example fleet, for `@FLEET@`.
    nonisolated static let fleet =
        "path:" + TestEnvironment.repositoryRoot.appendingPathComponent("examples/fleet").path

    /// The golden scripts, by name (without `.dsh`), and whether they load the example fleet.
    nonisolated static func scripts(loadingTheFleet: Bool) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".dsh") }.map { String($0.dropLast(4)) }.sorted().filter { name in
            let text = (try? String(contentsOfFile: directory + "/" + name + ".dsh", encoding: .utf8)) ?? ""
            return text.contains("@FLEET@") == loadingTheFleet
        }
    }

    /// Help text wraps at the terminal's width: 80 columns, whatever terminal runs the tests.
    init() {
        setenv("COLUMNS", "80", 1)
    }

    /// Every script has both golden files and every golden file its script, so that no case
    /// is skipped quietly (an empty argument list would run no test at all).
    @Test(.tags(.small)) func testEveryGoldenScriptHasItsTextAndJSONTranscripts() throws {
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.directory))
        let scripts = Self.scripts(loadingTheFleet: false) + Self.scripts(loadingTheFleet: true)
        #expect(scripts.count >= 5)
        let expected = Set(scripts.flatMap { [$0 + ".dsh", $0 + ".expected", $0 + ".expected.json"] })
        #expect(files == expected)
    }

    /// Scripts that need no flake run nothing at all.
    @Test(.tags(.small), arguments: scripts(loadingTheFleet: false))
    func testScriptWithoutAFlakePrintsItsGoldenTranscript(name: String) async throws {
        for json in [false, true] {
            let runner = RecordingRunner()
            try await Self.check(name, json: json, runner: runner)
            #expect(runner.invocations.isEmpty)
        }
    }

    /// Scripts that load the example fleet evaluate it with the local nix.
    @Test(.tags(.large), arguments: scripts(loadingTheFleet: true))
    func testScriptOnTheExampleFleetPrintsItsGoldenTranscript(name: String) async throws {
        for json in [false, true] {
            try await Self.check(name, json: json, runner: nil)
        }
    }

    /// Runs script `name` (keep going after errors) and compares its transcript with its golden file.
    static func check(_ name: String, json: Bool, runner: (any CommandRunner)?) async throws {
        let script = try String(contentsOfFile: directory + "/" + name + ".dsh", encoding: .utf8)
        let shell = TestShell(json: json, runner: runner)
        await shell.run(script.replacing("@FLEET@", with: fleet), file: name + ".dsh", keepGoing: true)
        let golden = directory + "/" + name + (json ? ".expected.json" : ".expected")
        Snapshot.assert(normalized(shell.takeTranscript()), matches: golden)
    }

    /// `text` with what changes between runs replaced: the fleet's path, and timings.
    nonisolated static func normalized(_ text: String) -> String {
        text.replacing(fleet, with: "@FLEET@")
            .replacing(/[0-9]+(\.[0-9]+)? s\)/, with: "#.## s)")
            .replacing(/"([A-Za-z]*Seconds)":[0-9.eE+-]+/) { match in "\"\(match.output.1)\":0" }
    }
}
