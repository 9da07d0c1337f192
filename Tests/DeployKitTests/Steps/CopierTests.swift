import DeployTestSupport
import Foundation
import Testing

@testable import DeployKit

/// The `nix copy` the copier runs: destination, substitution, and how nix gets the exact ssh options.
@Suite struct CopierTests {
    static let flags = ["--extra-experimental-features", "nix-command flakes"]

    /// A target on `root@10.0.0.1` with `sshOpts` at the node level.
    static func target(sshOpts: [JSONValue] = ["-p", "2222"], overrides: SessionOverrides = SessionOverrides()) throws
        -> DeployTarget
    {
        let config = try DeployConfig(json: [
            "sshUser": "root",
            "nodes": [
                "web1": [
                    "hostname": "10.0.0.1",
                    "sshOpts": .array(sshOpts),
                    "profiles": ["system": ["__deployshHasPath": true, "user": "root"]],
                ]
            ],
        ])
        let resolved = try config.resolve(node: "web1", profile: "system", overrides: overrides, localUser: "me")
        return DeployTarget(resolved: resolved, storePath: "/nix/store/abc-nixos-system-web1", derivationPath: nil)
    }

    static func copier(runner: RecordingRunner = RecordingRunner(), controlDirectory: String) -> Copier {
        Copier(
            runner: runner,
            nix: NixCommand(version: .v2_8),
            remote: RemoteSession(runner: runner, controlDirectory: controlDirectory),
            events: SilentEventSink()
        )
    }

    /// Puts a file where the shared connection's socket goes, as an open master would (the
    /// recording runner's `ssh -O check` then says it is open).
    static func openSharedConnection(to target: DeployTarget, in directory: String) throws {
        let ssh = RemoteSession(runner: RecordingRunner(), controlDirectory: directory).ssh(for: target.resolved)
        let socket = try #require(ssh.controlPath)
        #expect(FileManager.default.createFile(atPath: socket, contents: nil))
    }

    @Test func testCopySubstitutesOnTheDestinationAndPassesSSHOptionsInNixSSHOpts() throws {
        let invocation = try Self.copier(controlDirectory: "/run/deploysh-x").invocation(for: try Self.target())
        #expect(invocation.executable == "nix")
        #expect(
            invocation.arguments == Self.flags + [
                "copy", "--no-check-sigs", "--substitute-on-destination", "--to", "ssh://root@10.0.0.1",
                "/nix/store/abc-nixos-system-web1",
            ]
        )
        #expect(
            invocation.environment == [
                "NIX_SSHOPTS":
                    "-p 2222 -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=5 -o ServerAliveCountMax=6 "
                    + "-o ControlMaster=auto -o ControlPath=/run/deploysh-x/c-8df1fcc74df8fdf4 -o ControlPersist=no"
            ]
        )
    }

    @Test func testFastConnectionDoesNotSubstitute() throws {
        var overrides = SessionOverrides()
        try overrides.set("fastConnection", "true")
        let invocation = try Self.copier(controlDirectory: "/run/d").invocation(
            for: try Self.target(overrides: overrides)
        )
        #expect(!invocation.arguments.contains("--substitute-on-destination"))
        #expect(
            invocation.arguments == Self.flags + [
                "copy", "--no-check-sigs", "--to", "ssh://root@10.0.0.1", "/nix/store/abc-nixos-system-web1",
            ]
        )
    }

    @Test func testAnSSHOptionWithABlankPutsAWrapperFirstOnPath() throws {
        let directory = try TestEnvironment.temporaryDirectory("copier").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = try Self.target(sshOpts: ["-o", "ProxyCommand=nc %h 22"])
        let invocation = try Self.copier(controlDirectory: directory).invocation(for: target)
        #expect(invocation.environment["NIX_SSHOPTS"] == "")
        let path = try #require(invocation.environment["PATH"])
        let wrapperDirectory = try #require(path.split(separator: ":").first.map(String.init))
        #expect(wrapperDirectory.hasPrefix(directory + "/bin-"))
        let wrapper = try String(contentsOfFile: wrapperDirectory + "/ssh", encoding: .utf8)
        #expect(wrapper.hasPrefix("#!/bin/sh\nexec '"))
        #expect(wrapper.contains(" '-o' 'ProxyCommand=nc %h 22' '-o' 'BatchMode=yes' "))
        #expect(wrapper.hasSuffix(" '-o' 'ControlPersist=no' \"$@\"\n"))
        #expect(FileManager.default.isExecutableFile(atPath: wrapperDirectory + "/ssh"))
        #expect(invocation.arguments.contains("--substitute-on-destination"))
    }

    /// Two nodes with the same options (`-o 'ServerAliveInterval 5'` needs the wrapper) must
    /// never share a wrapper: each names its own host's control socket.
    @Test func testTwoHostsWithTheSameBlankOptionGetTheirOwnWrappers() throws {
        let directory = try TestEnvironment.temporaryDirectory("copier").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try DeployConfig(json: [
            "sshUser": "root",
            "sshOpts": ["-o", "ServerAliveInterval 5"],
            "nodes": [
                "web": ["hostname": "10.0.0.1", "profiles": ["system": [:]]],
                "db": ["hostname": "10.0.0.2", "profiles": ["system": [:]]],
            ],
        ])
        let remote = RemoteSession(runner: RecordingRunner(), controlDirectory: directory)
        var wrappers: [String] = []
        for node in ["web", "db"] {
            let profile = try config.resolve(node: node, profile: "system", localUser: "me")
            let path = try #require(try remote.nixEnvironment(for: profile)["PATH"])
            let wrapper = try #require(path.split(separator: ":").first.map(String.init)) + "/ssh"
            let script = try String(contentsOfFile: wrapper, encoding: .utf8)
            #expect(script.contains("ControlPath=" + (try #require(remote.ssh(for: profile).controlPath))))
            wrappers.append(wrapper)
        }
        #expect(Set(wrappers).count == 2)
    }

    @Test func testCopyConnectsFirstThenCopies() async throws {
        let directory = try TestEnvironment.temporaryDirectory("copier").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runner = RecordingRunner()
        let target = try Self.target()
        try Self.openSharedConnection(to: target, in: directory)
        try await Self.copier(runner: runner, controlDirectory: directory).copy(target)
        #expect(runner.invocations.map(\.executable) == ["ssh", "nix"])
        #expect(runner.invocations.first?.arguments.contains("check") == true)  // a shared connection is open
        #expect(runner.invocations.last == (try Self.copier(controlDirectory: directory).invocation(for: target)))
    }

    @Test func testAFailedCopyIsADeployErrorWithTheCommandAndItsStderr() async throws {
        let directory = try TestEnvironment.temporaryDirectory("copier").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runner = RecordingRunner { invocation in
            invocation.executable == "nix"
                ? .init(status: .exited(1), standardError: ["error: cannot add path to store"]) : .init()
        }
        try Self.openSharedConnection(to: try Self.target(), in: directory)
        let error = try await #require(throws: DeployError.self) {
            try await Self.copier(runner: runner, controlDirectory: directory).copy(try Self.target())
        }
        #expect(error.message == "copy failed on web1.system: nix copy to root@10.0.0.1 failed (exit status 1)")
        #expect(error.details.count == 2)
        #expect(error.details.first?.hasPrefix("$ NIX_SSHOPTS='-p 2222 -o BatchMode=yes") == true)
        #expect(error.details.last == "error: cannot add path to store")
        #expect(
            error.hint == "Check the ssh access and that the ssh user may write to the target's store (trusted-users)."
        )
    }

    /// nix copy relays ssh's own lines: the hint names the cause ssh gave, as a connection's does.
    @Test(
        arguments: [
            (
                [
                    "error: cannot connect to 'root@10.0.0.1'", "Connection closed by 10.0.0.1 port 2222",
                    "Permission denied (publickey).",
                ],
                "root@10.0.0.1 refused every key ssh offered: check that your key is in that user's authorized_keys "
                    + "on the node (try `ssh root@10.0.0.1`), or set `sshUser` or `sshOpts` (`-i KEY`)."
            ),
            (
                ["@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", "Host key verification failed."],
                "10.0.0.1's host key has changed since it was recorded in known_hosts: if the host was reinstalled, "
                    + "remove the old key with `ssh-keygen -R 10.0.0.1`, then check and accept the new one with "
                    + "`ssh root@10.0.0.1`."
            ),
            (
                ["ssh: connect to host 10.0.0.1 port 2222: Connection refused"],
                "10.0.0.1 refused the connection: check that sshd runs there and listens on the port ssh used "
                    + "(`-p` in `sshOpts`)."
            ),
            (
                ["error: cannot add path to store"],
                "Check the ssh access and that the ssh user may write to the target's store (trusted-users)."
            ),
        ]
    )
    func testAFailedCopyHintsAtTheCauseSSHGave(stderr: [String], hint: String) async throws {
        let directory = try TestEnvironment.temporaryDirectory("copier").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runner = RecordingRunner { invocation in
            invocation.executable == "nix" ? .init(status: .exited(1), standardError: stderr) : .init()
        }
        try Self.openSharedConnection(to: try Self.target(), in: directory)
        let error = try await #require(throws: DeployError.self) {
            try await Self.copier(runner: runner, controlDirectory: directory).copy(try Self.target())
        }
        #expect(error.hint == hint)
    }
}
