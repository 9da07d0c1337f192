import DeployTestSupport
import Foundation
import Testing

@testable import DeployKit

/// The remote argv of the activator (sudo words, `sh -c PROGRAM`), and the program's own validity.
@Suite struct ActivatorClientTests {
    static let ssh = SSHCommand(options: [], destination: "deploy@h", controlDirectory: "/run/d")

    static func profile(_ settings: JSONValue) throws -> ResolvedProfile {
        var node: JSONObject = ["hostname": "h", "profiles": ["system": ["__deployshHasPath": true]]]
        if case .object(let extra) = settings { for (key, value) in extra { node[key] = value } }
        let config = try DeployConfig(json: ["nodes": ["web1": .object(node)]])
        return try config.resolve(node: "web1", profile: "system", localUser: "me")
    }

    @Test func testWordsStartWithSudoThenShDashCProgram() {
        let client = ActivatorClient(runner: RecordingRunner(), ssh: Self.ssh, sudoWords: ["sudo", "-u", "root"])
        #expect(
            client.words(.status(profile: "/nix/var/nix/profiles/system", tempPath: "/tmp")) == [
                "sudo", "-u", "root", "sh", "-c", ActivatorScript.program, "deploysh-activator",
                "status", "/nix/var/nix/profiles/system", "/tmp",
            ]
        )
        let plain = ActivatorClient(runner: RecordingRunner(), ssh: Self.ssh, sudoWords: [])
        #expect(
            plain.words(.generations(profile: "/p")) == [
                "sh", "-c", ActivatorScript.program, "deploysh-activator", "generations", "/p",
            ]
        )
    }

    @Test func testNoSudoWhenTheProfileUserIsTheSSHUser() throws {
        #expect(ActivatorClient.sudoWords(for: try Self.profile(["sshUser": "root", "user": "root"])) == [])
        #expect(ActivatorClient.sudoWords(for: try Self.profile(["sshUser": "deploy"])) == [])
    }

    @Test func testSudoToTheProfileUser() throws {
        let profile = try Self.profile(["sshUser": "deploy", "user": "root"])
        #expect(profile.usesSudo)
        #expect(ActivatorClient.sudoWords(for: profile) == ["sudo", "-u", "root"])
    }

    @Test func testInteractiveSudoReadsThePasswordFromStandardInputWithoutAPrompt() throws {
        let profile = try Self.profile(["sshUser": "deploy", "user": "root", "interactiveSudo": true])
        #expect(ActivatorClient.sudoWords(for: profile) == ["sudo", "-S", "-p", "", "-u", "root"])
    }

    @Test func testACustomSudoCommandIsSplitOnBlanksAndLeftAsItIs() throws {
        let profile = try Self.profile([
            "sshUser": "deploy", "user": "app", "sudo": "doas  -u", "interactiveSudo": true,
        ])
        #expect(ActivatorClient.sudoWords(for: profile) == ["doas", "-u", "app"])
    }

    @Test func testRunSendsTheQuotedWordsOverSSHAndShowsTheProgramShort() async throws {
        let runner = RecordingRunner { _ in .init(standardOutput: "deploysh:generation=7\n") }
        let client = ActivatorClient(
            runner: runner,
            ssh: Self.ssh,
            sudoWords: ["sudo", "-u", "root"],
            sudoPassword: "pw"
        )
        let output = try await client.run(.generations(profile: "/nix/var/nix/profiles/system"))
        #expect(output[named: "generation"] == "7")
        let invocation = try #require(runner.invocations.first)
        #expect(runner.invocations.count == 1)
        #expect(invocation.executable == "ssh")
        #expect(
            invocation.arguments.last
                == RemoteShell.command(client.words(.generations(profile: "/nix/var/nix/profiles/system")))
        )
        #expect(invocation.standardInput == "pw\n")
        #expect(
            invocation.commandLine
                == "ssh -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=5 -o ServerAliveCountMax=6 "
                + "-o ControlMaster=auto -o ControlPath=/run/d/c-35f27028bbe8b256 -o ControlPersist=no -- deploy@h sudo -u root sh -c <deploysh activator> deploysh-activator "
                + "generations /nix/var/nix/profiles/system"
        )
    }

    @Test func testRunOnANewConnectionDoesNotShareTheMaster() async throws {
        let runner = RecordingRunner()
        let client = ActivatorClient(runner: runner, ssh: Self.ssh, sudoWords: [])
        _ = try await client.run(.confirm(tempPath: "/tmp", id: "abc", wait: 15, nonce: nil), newConnection: true)
        let invocation = try #require(runner.invocations.first)
        #expect(invocation.arguments.contains("ControlMaster=no"))
        #expect(invocation.arguments.contains("ControlPath=none"))
        #expect(invocation.standardInput == nil)
    }

    @Test func testSSHExitStatus255IsAConnectionFailure() async throws {
        let runner = RecordingRunner { _ in
            .init(status: .exited(255), standardError: ["ssh: connect to host h port 22: No route to host"])
        }
        let client = ActivatorClient(runner: runner, ssh: Self.ssh, sudoWords: [])
        let failure = try await #require(throws: CommandFailure.self) {
            try await client.run(.status(profile: "/p", tempPath: "/tmp"))
        }
        #expect(failure.message == "cannot reach deploy@h over ssh (exit status 255)")
        #expect(failure.hint == "Check that the host is up and that `ssh deploy@h` works with the same options.")
        #expect(failure.standardErrorTail == ["ssh: connect to host h port 22: No route to host"])
    }

    @Test func testARefusedKeyGetsTheHintForItsCause() async throws {
        let runner = RecordingRunner { _ in
            .init(status: .exited(255), standardError: ["deploy@h: Permission denied (publickey)."])
        }
        let client = ActivatorClient(runner: runner, ssh: Self.ssh, sudoWords: [])
        let failure = try await #require(throws: CommandFailure.self) {
            try await client.run(.status(profile: "/p", tempPath: "/tmp"))
        }
        #expect(
            failure.hint
                == "deploy@h refused every key ssh offered: check that your key is in that user's authorized_keys "
                + "on the node (try `ssh deploy@h`), or set `sshUser` or `sshOpts` (`-i KEY`)."
        )
    }

    @Test func testOtherFailuresAreReturnedAsOutput() async throws {
        let runner = RecordingRunner { _ in
            .init(status: .exited(75), standardOutput: "deploysh:locked=deployment ab\n")
        }
        let client = ActivatorClient(runner: runner, ssh: Self.ssh, sudoWords: [])
        let output = try await client.run(.result(tempPath: "/tmp", id: "ab", timeout: 0))
        #expect(output.exitCode == 75)
        #expect(output[named: "locked"] == "deployment ab")
    }

    @Test func testCancelledRunThrowsCancellationError() async throws {
        let client = ActivatorClient(
            runner: RecordingRunner { _ in .init(status: .cancelled) },
            ssh: Self.ssh,
            sudoWords: []
        )
        await #expect(throws: CancellationError.self) {
            try await client.run(.wait(tempPath: "/tmp", id: "ab", timeout: 30))
        }
    }

    // MARK: - Medium: the program in a real sh

    @Test(.timeLimit(.minutes(1)))
    func testActivatorProgramIsValidPOSIXSh() async throws {
        #expect(ActivatorScript.source.hasPrefix("#!/bin/sh\n"))
        #expect(ActivatorScript.source.contains("deploysh_main() {"))
        for text in [ActivatorScript.source, ActivatorScript.program] {
            let result = try await SubprocessRunner().run(Invocation("/bin/sh", ["-n", "-c", text]))
            #expect(result.status == .exited(0))
            #expect(result.standardErrorTail == [])
        }
    }

    @Test(
        .timeLimit(.minutes(1)),
        arguments: [
            ([String](), "error: no subcommand"),
            (["frobnicate"], "error: unknown subcommand 'frobnicate'"),
            (["confirm", "/tmp", "not-hex", "15", "ab"], "error: deployment id 'not-hex' is not a hex token"),
        ]
    )
    func testActivatorRejectsBadUsageWithExit64(arguments: [String], firstError: String) async throws {
        let words = ActivatorClient(runner: RecordingRunner(), ssh: Self.ssh, sudoWords: []).words(arguments: arguments)
        let result = try await SubprocessRunner().run(Invocation("/bin/" + words[0], Array(words.dropFirst())))
        let output = ActivatorReply(result)
        #expect(output.exitCode == 64)
        #expect(output.fields.map(\.key) == ["error"])
        #expect(output[named: "error"] == "usage")
        #expect(result.standardErrorTail.first == firstError)
    }
}

/// Small: every activator request spells its argv in one place, in the order the activator reads it.
@Suite(.tags(.small)) struct ActivatorRequestTests {
    @Test func testEachRequestSpellsItsArguments() {
        let activation = ActivatorRequest.Activation(
            profile: "/p",
            closure: "/nix/store/x",
            mode: .switch,
            tempPath: "/tmp",
            magicRollback: true,
            autoRollback: false,
            confirmTimeout: 30,
            id: "ab",
            activationTimeout: -1
        )
        #expect(
            ActivatorRequest.activate(activation).arguments == [
                "activate", "/p", "/nix/store/x", "switch", "/tmp", "1", "0", "30", "ab", "0",
            ]
        )
        #expect(ActivatorRequest.wait(tempPath: "/t", id: "ab", timeout: 5).arguments == ["wait", "/t", "ab", "5"])
        #expect(
            ActivatorRequest.confirm(tempPath: "/t", id: "ab", wait: 15, nonce: "cd").arguments == [
                "confirm", "/t", "ab", "15", "cd",
            ]
        )
        #expect(ActivatorRequest.rollback(profile: "/p", tempPath: "/t", generation: nil).arguments.last == "-")
        #expect(
            ActivatorRequest.rollback(profile: "/p", tempPath: "/t", generation: 3).arguments.suffix(2) == ["-", "3"]
        )
        #expect(ActivatorRequest.rollbackPending(profile: "/p", tempPath: "/t", id: "ab").arguments.last == "ab")
        #expect(ActivatorRequest.extend(tempPath: "/t", id: "ab", seconds: 9).arguments == ["extend", "/t", "ab", "9"])
        #expect(ActivatorRequest.profilePath(user: "u", name: "n").arguments == ["profile-path", "u", "n"])
    }

    /// ssh sends the remote command as ONE string, which the login shell gets as one argument:
    /// Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN), so the whole remote command
    /// line of the largest call, with sudo, must stay well below it.
    @Test func testTheRemoteCommandLineStaysBelowTheKernelsArgumentLimit() {
        let client = ActivatorClient(
            runner: RecordingRunner(),
            ssh: ActivatorClientTests.ssh,
            sudoWords: ["sudo", "-S", "-p", "", "-u", "root"]
        )
        let request = ActivatorRequest.activate(
            .init(
                profile: "/nix/var/nix/profiles/per-user/root/" + String(repeating: "p", count: 200),
                closure: "/nix/store/" + String(repeating: "x", count: 200),
                mode: .switch,
                tempPath: "/" + String(repeating: "t", count: 200),
                magicRollback: true,
                autoRollback: true,
                confirmTimeout: 65535,
                id: String(repeating: "a", count: 32),
                activationTimeout: 65535
            )
        )
        let remote = RemoteShell.command(client.words(request))
        #expect(remote.utf8.count < 96 * 1024, "the remote command is \(remote.utf8.count) bytes")
    }
}

/// Small: the activator is sent whole once per host, user and tempPath, then run from the
/// node's checked copy; a node without the copy gets the whole program again.
@Suite(.tags(.small)) struct ActivatorInstallTests {
    static func client(_ runner: RecordingRunner, _ installed: ActivatorInstallations) -> ActivatorClient {
        ActivatorClient(runner: runner, ssh: ActivatorClientTests.ssh, sudoWords: [], installation: ("/tmp", installed))
    }

    /// The words after `sh -c PROGRAM`, and which program was sent.
    static func sent(_ invocation: Invocation) -> (program: String, words: [String]) {
        let remote = invocation.arguments.last ?? ""
        if remote.contains(RemoteShell.quote(ActivatorScript.boot)) {
            return ("boot", Array(remote.split(separator: " ").suffix(4).map(String.init)))
        }
        return ("full", Array(remote.split(separator: " ").suffix(5).map(String.init)))
    }

    @Test func testTheFirstCallInstallsAndLaterCallsRunTheInstalledCopy() async throws {
        let runner = RecordingRunner { invocation in
            .init(standardOutput: Self.sent(invocation).program == "full" ? "deploysh:installed=1\n" : "")
        }
        let installed = ActivatorInstallations()
        let client = Self.client(runner, installed)
        _ = try await client.run(.generations(profile: "/p"))
        _ = try await client.run(.generations(profile: "/p"))
        #expect(runner.invocations.count == 2)
        #expect(Self.sent(runner.invocations[0]).program == "full")
        #expect(
            Self.sent(runner.invocations[0]).words
                == [
                    "--install", "/tmp", ActivatorScript.digest, "generations", "/p",
                ].map(RemoteShell.quote)
        )
        #expect(Self.sent(runner.invocations[1]).program == "boot")
        #expect(
            Self.sent(runner.invocations[1]).words
                == ["/tmp", ActivatorScript.digest, "generations", "/p"].map(RemoteShell.quote)
        )
        // The boot program is small: the activator is not on the command line any more.
        #expect(runner.invocations[1].arguments.last?.utf8.count ?? 0 < 4096)
    }

    @Test func testANodeThatLostItsCopyGetsTheWholeProgramAgain() async throws {
        let runner = RecordingRunner { invocation in
            if Self.sent(invocation).program == "full" { return .init(standardOutput: "deploysh:installed=1\n") }
            return .init(status: .exited(97), standardOutput: "deploysh:result=not-installed\n")
        }
        let client = Self.client(runner, ActivatorInstallations())
        _ = try await client.run(.status(profile: "/p", tempPath: "/tmp"))
        let reply = try await client.run(.status(profile: "/p", tempPath: "/tmp"))
        #expect(runner.invocations.map { Self.sent($0).program } == ["full", "boot", "full"])
        #expect(reply[.installed] == "1")
    }

    @Test func testARelativeTempPathNeverInstalls() async throws {
        let runner = RecordingRunner()
        let client = ActivatorClient(
            runner: runner,
            ssh: ActivatorClientTests.ssh,
            sudoWords: [],
            installation: ("tmp", ActivatorInstallations())
        )
        _ = try await client.run(.generations(profile: "/p"))
        let words = try Self.sent(#require(runner.invocations.first)).words
        #expect(words.contains(RemoteShell.quote("--install")) == false)
    }
}

/// Small: a confirmation counts only when the node's record names this deployer's nonce.
@Suite(.tags(.small)) struct ConfirmationRecordTests {
    static func reply(_ text: String) -> ActivatorReply {
        ActivatorReply(
            CommandResult(
                invocation: Invocation("ssh", []),
                status: .exited(0),
                standardOutput: text,
                standardErrorTail: [],
                duration: .zero
            )
        )
    }

    @Test func testAConfirmationByAnotherNonceIsNotThisDeployersConfirmation() {
        let ours = Self.reply("deploysh:generation=4\ndeploysh:confirmed-by=ab\ndeploysh:result=confirmed\n")
        let other = Self.reply("deploysh:generation=4\ndeploysh:confirmed-by=ff\ndeploysh:result=confirmed\n")
        let none = Self.reply("deploysh:generation=4\ndeploysh:result=confirmed\n")
        #expect(ActivatorVerdict(ours, confirmedBy: ["ab"]) == .confirmed(generation: 4))
        #expect(ActivatorVerdict(other, confirmedBy: ["ab"]).state == .unknown)
        #expect(ActivatorVerdict(none, confirmedBy: []).state == .unknown)
        #expect(ActivatorVerdict(none) == .confirmed(generation: 4))
    }
}
