import DeployKit
import DeployTestSupport
import Foundation
import Testing

@testable import DeployShell

/// Small: in a script, every failing command says so at its location, whether it threw or
/// returned a failed report.
@Suite(.timeLimit(.minutes(1)))
@MainActor
struct ScriptFailureLocationTests {
    /// A session with two nodes whose ssh "runs" every remote command; `false` exits 1.
    static func shell(json: Bool = false) throws -> TestShell {
        let runner = FakeSSHRunner { invocation in
            if invocation.executable == "nix" { return .init(standardOutput: "nix (Nix) 2.8.1\n") }
            if invocation.arguments.last?.hasSuffix(" 'false'") == true { return .init(status: .exited(1)) }
            return .init()
        }
        let shell = TestShell(json: json, runner: runner)
        let config = try DeployConfig(json: [
            "sshUser": "root",
            "nodes": [
                "web1": ["hostname": "10.0.0.1", "profiles": ["system": ["__deployshHasPath": true]]],
                "web2": ["hostname": "10.0.0.2", "profiles": ["system": ["__deployshHasPath": true]]],
            ],
        ])
        shell.session.adopt(LoadedFlake(reference: "test", config: config, raw: [:], duration: .zero))
        return shell
    }

    @Test func testAFailingExecInAScriptIsAnErrorAtItsLocation() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("echo start\n  exec 'web*' -- false\necho never", file: "fleet.dsh") == .failed)
        #expect(shell.takeOutput() == "start\n[web1] exit 1\n[web2] exit 1\n")
        #expect(
            shell.takeErrors().hasSuffix(
                "fleet.dsh:2:3: error: exec failed on 2 of 2 nodes: web1 (exit 1), web2 (exit 1)\n"
            )
        )
    }

    @Test func testAFailingExecWithJSONIsOneErrorObjectWithItsLocation() async throws {
        let shell = try Self.shell(json: true)
        #expect(await shell.run("exec web1 -- false", file: "fleet.dsh") == .failed)
        #expect(
            shell.takeErrors().hasSuffix(
                #"{"command":"exec","error":{"location":{"column":1,"file":"fleet.dsh","line":1},"#
                    + #""message":"exec failed on 1 of 1 node: web1 (exit 1)"}}"# + "\n"
            )
        )
    }

    @Test func testASucceedingExecPrintsNoError() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("exec web1 -- true", file: "fleet.dsh") == .success)
        #expect(!shell.takeErrors().contains("error:"))
    }

    @Test func testExpectedFailureStillPasses() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("! exec web1 -- false\necho after", file: "fleet.dsh") == .success)
        #expect(shell.takeOutput() == "[web1] exit 1\n(failed as expected)\nafter\n")
    }
}
