import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: what deploysh leaves behind when it dies or the target's disk is full (issues 6 and 7).
@Suite(.tags(.large), .serialized, .sharedTestbed(nodes: 1), .timeLimit(.minutes(2)))
@MainActor
struct ProcessSafetyTests {
    /// Nix text for a profile with a `size`-byte random blob, whose activation runs `activation`.
    static func profile(_ name: String, size: Int = 16, activation: String = "true") -> String {
        let build =
            "mkdir -p $out && head -c \(size) /dev/urandom > $out/blob && printf '#!/bin/sh\\n%s\\n' \"$activation\" > $out/deploy-rs-activate && chmod +x $out/deploy-rs-activate"
        return """
            (builtins.derivation {
              name = \(FlakeFixtures.nixString(name));
              system = \(FlakeFixtures.nixString(FlakeFixtures.system));
              builder = "/bin/sh";
              PATH = "/usr/bin:/bin";
              activation = \(FlakeFixtures.nixString(activation));
              args = [ "-c" \(FlakeFixtures.nixString(build)) ];
            })
            """
    }

    /// Waits (bounded) for a descendant of `deployer` whose command line contains `text`, then
    /// kills the deployer with SIGKILL and returns what it had started.
    static func killWhileRunning(_ deployer: DeployerProcess, _ text: String) async throws -> [ProcessTable.Entry] {
        for _ in 0..<600 {
            let table = ProcessTable()
            let children = table.descendants(of: deployer.pid)
            if children.contains(where: { $0.commandLine.contains(text) }) {
                deployer.kill()
                return children + sharedConnections(under: deployer.runtimeBase, in: table)
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        deployer.kill()
        Issue.record("no child running '\(text)' appeared; output: \(deployer.standardOutput)")
        return []
    }

    /// The shared ssh connections (control masters) of a deployer whose runtime directory is
    /// under `base`: a master detaches into a session of its own, so it is found by its control
    /// socket's path, not by ancestry.
    static func sharedConnections(under base: String, in table: ProcessTable) -> [ProcessTable.Entry] {
        table.entries.values.filter { $0.commandLine.contains(base + "/") && $0.commandLine.contains("[mux]") }
    }

    /// The processes of `children` still alive after up to 2 s (polled, bounded).
    static func survivors(of children: [ProcessTable.Entry]) async throws -> [ProcessTable.Entry] {
        var alive = children
        for _ in 0..<20 {
            alive = alive.filter(ProcessTable.isAlive)
            if alive.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return alive
    }

    /// Writes a script that makes every new ssh connection to node 1 run `wait` (5 s) before its
    /// command (a forced `command=` in authorized_keys); the keys are saved first.
    ///
    /// - Parameter wait: `sleep 5`, or `read -r -t 5 _` for a wait that ends when the deployer's
    ///   side closes, as a real `nix-store --serve` would.
    static func slowSSHScript(
        _ testbed: Testbed,
        nonce: String,
        wait: String = "sleep 5"
    ) throws -> (script: String, keys: String) {
        let keys = testbed.nodeDirectory(1) + "/authorized_keys"
        if !FileManager.default.fileExists(atPath: keys + ".saved") {
            try FileManager.default.copyItem(atPath: keys, toPath: keys + ".saved")
        }
        let script = testbed.directory + "/slow-ssh-\(nonce).sh"
        try """
        { printf '%s ' 'command="\(wait); eval \\"$SSH_ORIGINAL_COMMAND\\""'; cat '\(keys).saved'; } > '\(keys)'
        """.write(toFile: script, atomically: true, encoding: .utf8)
        return (script, keys)
    }

    /// Puts the saved keys back, replacing the file in one step: the node's own rollback may be
    /// restoring it at the same moment (the good profile's activation copies it too).
    static func restoreKeys(_ keys: String) throws {
        let saved = try Data(contentsOf: URL(fileURLWithPath: keys + ".saved"))
        try saved.write(to: URL(fileURLWithPath: keys), options: .atomic)
    }

    @Test func testNoChildOutlivesADeployerKilledDuringCopy() async throws {
        let testbed = try Testbed.shared()
        let fixture = try DeployFixture(testbed: testbed)
        let payload = Self.profile("payload-\(fixture.nonce)")
        let flake = try fixture.write(nodes: [("web", 1, "{ system.path = \(payload); }")])
        // A slow remote start keeps `nix copy` silent while it waits: nothing makes it exit on its
        // own. The remote side waits for input, so the copy's channel ends when its client dies.
        let (script, keys) = try Self.slowSSHScript(testbed, nonce: fixture.nonce, wait: "read -r -t 5 _")
        let slow = try await SubprocessRunner().run(Invocation("sh", [script]))
        #expect(slow.succeeded)
        let deployer = try await DeployerProcess.start(
            arguments: ["-c", "load \(flake); deploy web.system"],
            privateRuntime: true
        )
        let children = try await Self.killWhileRunning(deployer, " --to ssh://")
        try Self.restoreKeys(keys)
        #expect(children.contains { $0.commandLine.contains("ssh") }, "\(children.map(\.commandLine))")
        let left = try await Self.survivors(of: children)
        #expect(left.isEmpty, "\(left.map(\.commandLine))")
    }

    @Test func testNoChildOutlivesADeployerKilledDuringConfirmAndNoConfirmIsSent() async throws {
        let testbed = try Testbed.shared()
        let fixture = try DeployFixture(testbed: testbed)
        // The new profile makes new ssh connections wait 5 s: the confirmation is slow.
        let (slowSSH, keys) = try Self.slowSSHScript(testbed, nonce: fixture.nonce)
        let profiles = """
            { system.path = \(Self.profile("good-\(fixture.nonce)", activation: "cp '\(keys).saved' '\(keys)'"));
              slow = { profilePath = "/nix/var/nix/profiles/system"; confirmTimeout = 3; path = \(Self.profile("slow-\(fixture.nonce)", activation: "sh '\(slowSSH)'")); }; }
            """
        let flake = try fixture.write(nodes: [("web", 1, profiles)])
        let shell = TestShell()
        #expect(await shell.run("load \(flake); deploy web.system") == .success, "\(shell.takeErrors())")
        let good = testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system")
        let deployer = try await DeployerProcess.start(
            arguments: ["-c", "load \(flake); deploy web.slow"],
            privateRuntime: true
        )
        let children = try await Self.killWhileRunning(deployer, "ControlPath=none")
        let left = try await Self.survivors(of: children)
        #expect(left.isEmpty, "\(left.map(\.commandLine))")
        // The delayed confirmation finds its session gone and does not confirm: the watchdog rolls back.
        let rolledBack = try await poll(tries: 100, every: .milliseconds(200)) {
            testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == good
        }
        #expect(rolledBack)
        try Self.restoreKeys(keys)
    }

    @Test func testCopyToAFullTargetSaysItIsOutOfSpaceAndHowToFreeIt() async throws {
        let harness = ActivatorHarness(testbed: try Testbed.shared())
        let sshd = try String(contentsOfFile: harness.testbed.nodeDirectory(1) + "/sshd.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let mount = try await harness.runner.run(
            Invocation("nsenter", ["-t", sshd, "-m", "mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", "/nix/store"])
        )
        try #require(mount.succeeded, "\(mount.standardErrorTail)")
        defer {
            _ = Task {
                try await harness.runner.run(Invocation("nsenter", ["-t", sshd, "-m", "umount", "/nix/store"]))
            }
        }
        let build = try await harness.runner.run(
            Invocation("nix-build", ["--no-out-link", "-E", Self.profile("blob-\(harness.nonce)", size: 8_000_000)])
        )
        let path = build.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let copier = Copier(
            runner: harness.runner,
            nix: NixCommand(version: .v2_8),
            remote: harness.remote,
            events: harness.events
        )
        let error = await #expect(throws: DeployError.self) { try await copier.copy(try harness.target(path)) }
        #expect(error?.failure == .outOfSpace)
        #expect(
            error?.message
                == "copy failed on web.system: the target is out of disk space (nix copy to root@\(harness.testbed.address(1)))"
        )
        #expect(
            error?.hint
                == "Free space on \(harness.testbed.address(1)): run `nix-store --gc` there (it also deletes the partial copy, an invalid path), or remove old generations first, then copy again."
        )
        await harness.shutdown()
    }
}
