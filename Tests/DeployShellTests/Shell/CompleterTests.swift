import DeployKit
import DeployTestSupport
import Foundation
import Testing

@testable import DeployShell

/// Tab completion over a session with a configuration set directly (no flake, no nix).
@Suite @MainActor struct CompleterTests {
    static func completer(loaded: Bool = true) throws -> Completer {
        let shell = TestShell(runner: RecordingRunner())
        if loaded {
            let config = try DeployConfig(json: [
                "nodes": [
                    "web1": [
                        "hostname": "10.0.0.1",
                        "profiles": ["system": ["__deployshHasPath": true], "app": ["__deployshHasPath": true]],
                    ],
                    "web.example.com": ["hostname": "10.0.0.2", "profiles": ["system": ["__deployshHasPath": true]]],
                    "db1": ["hostname": "10.0.0.3", "profiles": ["system": ["__deployshHasPath": true]]],
                ]
            ])
            shell.session.adopt(LoadedFlake(reference: "test", config: config, raw: [:], duration: .zero))
        }
        return Completer(session: shell.session)
    }

    @Test(arguments: [
        ("lo", ["load"]),
        ("s", ["select", "sessions", "set", "show", "show-log", "sleep", "source", "status"]),
        ("ex", ["exec", "exit"]),
        ("qu", ["quit"]),
        ("zzz", []),
    ])
    func testCommandNamesCompleteTheFirstWord(line: String, expected: [String]) throws {
        #expect(try Self.completer().candidates(for: line) == expected)
    }

    @Test func testAnEmptyLineOffersEveryCommandAndExit() throws {
        #expect(try Self.completer().candidates(for: "") == (CommandTable.names + ["exit"]).sorted())
        #expect(try Self.completer().candidates(for: "").count == 34)
    }

    @Test(arguments: [
        ("set con", ["confirmTimeout"]),
        ("set s", ["showOutput", "sshOpts", "sshUser", "sudo"]),
        ("unset ma", ["magicRollback", "maxFailures", "maxJobs"]),
        ("set confirmTimeout ", []),
        ("set confirmTimeout 3", []),
    ])
    func testSettingKeysCompleteAfterSetAndUnset(line: String, expected: [String]) throws {
        #expect(try Self.completer().candidates(for: line) == expected)
    }

    @Test func testSetOffersEveryKeyInOrder() throws {
        #expect(
            try Self.completer().candidates(for: "set ")
                == (SessionSetting.allCases.map(\.rawValue) + SettingKey.allCases.map(\.rawValue)).sorted()
        )
        #expect(try Self.completer().candidates(for: "set\t").count == 26)
    }

    @Test(arguments: [("set j", ["jobs"]), ("set lo", ["logDir"]), ("unset j", ["jobs"]), ("set sh", ["showOutput"])])
    func testTheShellsOwnSettingsCompleteAfterSet(line: String, expected: [String]) throws {
        #expect(try Self.completer().candidates(for: line) == expected)
    }

    @Test(arguments: [
        ("deploy --j", ["--jobs"]),
        ("deploy --dry", ["--dry-activate"]),
        ("deploy web1 --keep", ["--keep-going"]),
        ("exec --j", ["--jobs"]),
        ("select --", ["--add", "--clear", "--help"]),
        ("nodse --", []),
    ])
    func testOptionsCompleteFromTheCommandsDefinition(line: String, expected: [String]) throws {
        #expect(try Self.completer().candidates(for: line) == expected)
    }

    @Test func testFilePathsCompleteAfterLoadAndSource() throws {
        let directory = NSTemporaryDirectory() + "completer-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/fleet", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/flake.nix", contents: Data())
        _ = FileManager.default.createFile(atPath: directory + "/fleet/deploy.dsh", contents: Data())
        _ = FileManager.default.createFile(atPath: directory + "/.hidden", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let completer = try Self.completer()
        #expect(completer.candidates(for: "load \(directory)/fl") == ["\(directory)/flake.nix", "\(directory)/fleet/"])
        #expect(completer.candidates(for: "load path:\(directory)/fle") == ["path:\(directory)/fleet/"])
        #expect(completer.candidates(for: "source \(directory)/fleet/") == ["\(directory)/fleet/deploy.dsh"])
        #expect(completer.candidates(for: "source \(directory)/.h") == ["\(directory)/.hidden"])
        #expect(completer.candidates(for: "source \(directory)/x") == [])
    }

    @Test func testSelectOffersNodesAndProfilesQuotingDottedNodeNames() throws {
        #expect(
            try Self.completer().candidates(for: "select ") == [
                #""web.example.com""#, #""web.example.com".system"#, "db1", "db1.system", "web1", "web1.app",
                "web1.system",
            ]
        )
    }

    @Test(arguments: [
        ("select we", ["web1", "web1.app", "web1.system"]),
        ("show db", ["db1", "db1.system"]),
        ("show web1.s", ["web1.system"]),
        (#"select "web."#, [#""web.example.com""#, #""web.example.com".system"#]),
        ("select web1 d", ["db1", "db1.system"]),
        ("deploy web1.a", ["web1.app"]),
    ])
    func testTargetNamesCompleteAfterTargetCommands(line: String, expected: [String]) throws {
        #expect(try Self.completer().candidates(for: line) == expected)
    }

    @Test(arguments: ["echo we", "eval no", "nodes ", "status "])
    func testNothingCompletesAfterCommandsThatTakeNoTargets(line: String) throws {
        #expect(try Self.completer().candidates(for: line) == [])
    }

    @Test func testNoTargetsBeforeAFlakeIsLoaded() throws {
        #expect(try Self.completer(loaded: false).candidates(for: "select ") == [])
        #expect(try Self.completer(loaded: false).candidates(for: "lo") == ["load"])
    }

    @Test func testHelpCompletesCommandNames() throws {
        #expect(try Self.completer().candidates(for: "help de") == ["deploy"])
        #expect(try Self.completer().candidates(for: "help r") == ["reload", "resume", "rollback"])
    }
}
