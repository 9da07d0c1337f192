import DeployTestSupport
import Foundation
import Synchronization
import Testing

@testable import DeployKit

/// Medium: the one runner against real `sh` children (exit codes, output, stderr tail, limits, cancellation).
@Suite(.tags(.medium), .timeLimit(.minutes(1)))
struct SubprocessRunnerTests {
    private func sh(
        _ script: String,
        runner: SubprocessRunner = SubprocessRunner(),
        input: String? = nil,
        environment: [String: String] = [:]
    ) async throws -> CommandResult {
        try await runner.run(Invocation("sh", ["-c", script], environment: environment, standardInput: input))
    }

    @Test(arguments: [
        ("exit 0", TerminationStatus.exited(0)), ("exit 3", .exited(3)), ("kill -TERM $$", .signaled(15)),
    ])
    func testExitStatusIsRecorded(script: String, status: TerminationStatus) async throws {
        let result = try await sh(script)
        #expect(result.status == status)
        #expect(result.succeeded == (status == .exited(0)))
        #expect(result.invocation == Invocation("sh", ["-c", script]))
    }

    @Test func testNonZeroExitIsAResultNotAnError() async throws {
        let result = try await sh("echo partial; echo 'error: it broke' >&2; exit 1")
        #expect(result.status == .exited(1))
        #expect(result.status.exitCode == 1)
        #expect(result.standardOutput == "partial\n")
        #expect(result.standardErrorTail == ["error: it broke"])
        let failure = CommandFailure(result, summary: "thing failed", hint: "Try again.")
        #expect(failure.kind == .nonZeroExit(.exited(1)))
        #expect(failure.message == "thing failed (exit status 1)")
        #expect(
            failure.details == [
                #"$ sh -c 'echo partial; echo '\''error: it broke'\'' >&2; exit 1'"#, "error: it broke",
            ]
        )
        #expect(failure.hint == "Try again.")
    }

    @Test func testStandardOutputIsCapturedExactly() async throws {
        let result = try await sh(#"printf 'one\ntwo\n\nh\303\251llo'"#)
        #expect(result.status == .exited(0))
        #expect(result.standardOutput == "one\ntwo\n\nhéllo")
        #expect(result.standardErrorTail == [])
        #expect(result.duration > .zero)
    }

    @Test func testStandardErrorTailKeepsOnlyTheLastLines() async throws {
        let runner = SubprocessRunner(standardErrorTailLines: 20)
        let result = try await sh(
            #"i=1; while [ $i -le 50 ]; do echo "line $i" >&2; i=$((i + 1)); done"#,
            runner: runner
        )
        #expect(result.standardErrorTail == (31...50).map { "line \($0)" })
        #expect(result.standardOutput == "")
    }

    @Test func testStandardErrorLinesReachTheCallbackInOrder() async throws {
        let lines = Mutex<[String]>([])
        let result = try await SubprocessRunner(standardErrorTailLines: 2).run(
            Invocation("sh", ["-c", "echo one >&2; echo two >&2; echo out; printf 'three' >&2"]),
            onStandardErrorLine: { line in lines.withLock { $0.append(line) } }
        )
        #expect(lines.withLock { $0 } == ["one", "two", "three"])
        #expect(result.standardErrorTail == ["two", "three"])
        #expect(result.standardOutput == "out\n")
    }

    @Test func testStandardInputIsDelivered() async throws {
        let result = try await sh("cat; echo '|'", input: "hello\nit's me\n")
        #expect(result.standardOutput == "hello\nit's me\n|\n")
        let none = try await sh("cat; echo end")
        #expect(none.standardOutput == "end\n")
    }

    @Test func testEnvironmentIsInjectedAndTheInvocationWins() async throws {
        let runner = SubprocessRunner(environment: ["DEPLOYSH_A": "runner", "DEPLOYSH_B": "runner"])
        let result = try await sh(
            #"printf '%s|%s|%s' "$DEPLOYSH_A" "$DEPLOYSH_B" "$DEPLOYSH_C""#,
            runner: runner,
            environment: ["DEPLOYSH_B": "invocation", "DEPLOYSH_C": "x y"]
        )
        #expect(result.standardOutput == "runner|invocation|x y")
    }

    @Test func testMissingExecutableIsExecutableNotFoundWithAHint() async throws {
        let invocation = Invocation("deploysh-no-such-tool", ["--version"])
        let failure = try await #require(throws: CommandFailure.self) {
            try await SubprocessRunner().run(invocation)
        }
        #expect(failure.kind == .executableNotFound)
        #expect(failure.message == "cannot run deploysh-no-such-tool: 'deploysh-no-such-tool' was not found on PATH")
        #expect(failure.hint == "Check that 'deploysh-no-such-tool' is installed and on PATH.")
        #expect(failure.invocation == invocation)
    }

    @Test(arguments: [
        ("nix", "Install Nix (on Debian: `apt-get install nix-bin`)."),
        ("nix-store", "Install Nix (on Debian: `apt-get install nix-bin`)."),
        ("ssh", "Install OpenSSH's client (on Debian: `apt-get install openssh-client`)."),
    ])
    func testMissingNixOrSSHHintsAtTheDebianPackage(executable: String, hint: String) async throws {
        let runner = SubprocessRunner(environment: ["PATH": "/nonexistent-deploysh"])
        let failure = try await #require(throws: CommandFailure.self) {
            try await runner.run(Invocation(executable, ["--version"]))
        }
        #expect(failure.kind == .executableNotFound)
        #expect(failure.message == "cannot run \(executable): '\(executable)' was not found on PATH")
        #expect(failure.hint == hint)
    }

    @Test func testOutputOverTheLimitIsOutputLimitExceeded() async throws {
        let runner = SubprocessRunner(outputLimit: 16)
        let failure = try await #require(throws: CommandFailure.self) {
            try await sh("printf '%s' 0123456789abcdef0123456789abcdef", runner: runner)
        }
        #expect(failure.kind == .outputLimitExceeded(bytes: 16))
        #expect(failure.message == "sh printed too much: output exceeded the limit of 16 bytes")
        #expect(failure.hint == "Narrow what is evaluated (for example with `eval ATTRPATH`).")
        let atLimit = try await sh("printf '%s' 0123456789abcdef", runner: runner)
        #expect(atLimit.standardOutput == "0123456789abcdef")
    }

    @Test func testStandardOutputReachesTheCallbackWhileTheChildRuns() async throws {
        // The child prints "first", then waits (boundedly) for a file that only the callback,
        // on seeing "first", creates: it prints "second" only if output streams as it comes.
        let directory = try TestEnvironment.temporaryDirectory("stream")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mark = directory.path + "/seen-first"
        let pieces = Mutex<[UInt8]>([])
        let result = try await SubprocessRunner().run(
            Invocation(
                "sh",
                [
                    "-c",
                    #"echo first; i=0; while [ ! -e "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; [ -e "$1" ] && echo second"#,
                    "sh", mark,
                ]
            ),
            onStandardErrorLine: nil
        ) { piece in
            let all = pieces.withLock {
                $0 += piece
                return $0
            }
            if String(decoding: all, as: UTF8.self).hasPrefix("first\n") {
                _ = FileManager.default.createFile(atPath: mark, contents: nil)
            }
        }
        #expect(result.status == .exited(0))
        #expect(result.standardOutput == "first\nsecond\n")
        #expect(String(decoding: pieces.withLock { $0 }, as: UTF8.self) == "first\nsecond\n")
    }

    @Test func testStreamedOutputOverTheLimitIsOutputLimitExceeded() async throws {
        let failure = try await #require(throws: CommandFailure.self) {
            try await SubprocessRunner(outputLimit: 16).run(
                Invocation("sh", ["-c", "printf '%s' 0123456789abcdef0123456789abcdef"]),
                onStandardErrorLine: nil
            ) { _ in }
        }
        #expect(failure.kind == .outputLimitExceeded(bytes: 16))
    }

    /// The child sleeps ten minutes: the run can only end within the test's time limit if
    /// cancelling killed it (no assertion on how long it took, which a loaded machine stretches).
    @Test(.timeLimit(.minutes(1))) func testCancellingTheTaskKillsTheChild() async throws {
        let task = Task { try await SubprocessRunner().run(Invocation("sh", ["-c", "sleep 600"])) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = try await task.value
        #expect(result.status == .cancelled)
        #expect(result.succeeded == false)
    }

    @Test func testEachRunnerFindsExecutablesOnItsOwnPATH() async throws {
        _ = try await SubprocessRunner().run(Invocation("sh", ["-c", "true"]))
        let runner = SubprocessRunner(environment: ["PATH": "/nonexistent-deploysh"])
        let failure = try await #require(throws: CommandFailure.self) {
            try await runner.run(Invocation("sh", ["-c", "true"]))
        }
        #expect(failure.kind == .executableNotFound)
    }

    @Test func testAMegabyteOnOneLineIsOneLine() async throws {
        let lines = Mutex<[Int]>([])
        let result = try await SubprocessRunner().run(
            Invocation("sh", ["-c", "head -c 1048576 /dev/zero | tr -c x x >&2; echo >&2; echo done >&2"])
        ) { line in lines.withLock { $0.append(line.utf8.count) } }
        #expect(result.succeeded)
        #expect(lines.withLock { $0 } == [1_048_576, 4])
    }

    @Test func testAChildsOwnChildrenEndWithItsTeardown() async throws {
        let printed = Mutex<Int32?>(nil)
        let task = Task {
            try await SubprocessRunner().run(Invocation("sh", ["-c", "sleep 31 & echo $! >&2; wait"])) { line in
                printed.withLock { $0 = Int32(line) }
            }
        }
        for _ in 0..<100 where printed.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        _ = try await task.value
        let pid = try #require(printed.withLock { $0 })
        // Dead or a zombie (this host's init may reap late), within 2 s.
        var alive = true
        for _ in 0..<20 where alive {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            alive = !(stat.isEmpty || stat.contains(") Z ") || stat.contains(") X "))
            if alive { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(!alive)
    }
}
