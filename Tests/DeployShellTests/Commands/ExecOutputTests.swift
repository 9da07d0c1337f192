import DeployKit
import DeployTestSupport
import Testing

@testable import DeployShell

/// Small: piped, `exec`'s output shows once: on standard output, as it is printed, then each
/// node's status; standard error has only the step lines.
@Suite(.timeLimit(.minutes(1)))
@MainActor
struct ExecOutputTests {
    /// A session with one node whose remote command prints two lines.
    static func shell(json: Bool = false) throws -> TestShell {
        let runner = FakeSSHRunner { invocation in
            if invocation.executable == "nix" { return .init(standardOutput: "nix (Nix) 2.8.1\n") }
            return .init(standardError: ["web1.example", "up 3 days"])
        }
        let shell = TestShell(json: json, runner: runner)
        let config = try DeployConfig(json: [
            "sshUser": "root",
            "nodes": ["web1": ["hostname": "10.0.0.1", "profiles": ["system": ["__deployshHasPath": true]]]],
        ])
        shell.session.adopt(LoadedFlake(reference: "test", config: config, raw: [:], duration: .zero))
        return shell
    }

    @Test func testPipedOutputIsOnStandardOutputOnce() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("exec web1 -- uptime") == .success)
        #expect(shell.takeOutput() == "[web1] web1.example\n[web1] up 3 days\n[web1] exit 0\n")
        let errors = shell.takeErrors()
        #expect(!errors.contains("web1.example"), "\(errors)")
        #expect(!errors.contains("up 3 days"), "\(errors)")
        #expect(errors.contains("[web1] exec 'uptime' ...\n"), "\(errors)")
        #expect(errors.contains("[web1] exec ok: exit status 0\n"), "\(errors)")
    }

    @Test func testJSONKeepsOutputEventsAndTheReportsOutput() async throws {
        let shell = try Self.shell(json: true)
        #expect(await shell.run("exec web1 -- uptime") == .success)
        let report = try #require(try shell.takeJSONLines().last)
        #expect(report["exec"]?.arrayValue?.first?["output"]?.stringValue == "web1.example\nup 3 days\n")
        #expect(shell.takeErrors().contains(#""line":"up 3 days""#))
    }
}
