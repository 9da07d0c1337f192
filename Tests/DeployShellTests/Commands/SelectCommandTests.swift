import DeployKit
import DeployTestSupport
import Testing

@testable import DeployShell

/// Small: `select` replaces, extends (`--add`) and empties (`--clear`) the selection.
@Suite(.timeLimit(.minutes(1)))
@MainActor
struct SelectCommandTests {
    static func shell() throws -> TestShell {
        let shell = TestShell(runner: RecordingRunner())
        let config = try DeployConfig(json: [
            "nodes": [
                "web1": ["hostname": "10.0.0.1", "profiles": ["system": ["__deployshHasPath": true]]],
                "web2": ["hostname": "10.0.0.2", "profiles": ["system": ["__deployshHasPath": true]]],
                "db1": ["hostname": "10.0.0.3", "profiles": ["system": ["__deployshHasPath": true]]],
            ]
        ])
        shell.session.adopt(LoadedFlake(reference: "test", config: config, raw: [:], duration: .zero))
        return shell
    }

    @Test func testAddExtendsTheSelectionWithoutRepeats() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("select web1; select --add db1 web1.system") == .success)
        #expect(
            shell.takeOutput() == "selected 1: web1.system\nselected 2: web1.system, db1.system\n"
        )
        #expect(shell.session.selection.map(\.description) == ["web1.system", "db1.system"])
    }

    @Test func testClearEmptiesTheSelection() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("select 'web*'; select --clear") == .success)
        #expect(shell.takeOutput() == "selected 2: web1.system, web2.system\nnothing selected\n")
        #expect(shell.session.selection.isEmpty)
    }

    @Test(arguments: [
        ("select --clear web1", "select: --clear takes no targets"),
        ("select --add", "select: --add needs at least one target"),
        ("select --add --clear web1", "select: --clear and --add cannot be used together"),
    ])
    func testMisusedFlagsAreRefusedVerbatim(line: String, message: String) async throws {
        let shell = try Self.shell()
        #expect(await shell.run("select web1; " + line, file: "s.dsh") == .failed)
        #expect(shell.takeErrors().hasPrefix("s.dsh:1:14: error: \(message)\n"))
        #expect(shell.session.selection.map(\.description) == ["web1.system"])
    }

    @Test func testAnUnknownTargetLeavesTheSelectionAsItWas() async throws {
        let shell = try Self.shell()
        #expect(await shell.run("select web1; select --add web3") == .failed)
        #expect(shell.session.selection.map(\.description) == ["web1.system"])
    }
}
