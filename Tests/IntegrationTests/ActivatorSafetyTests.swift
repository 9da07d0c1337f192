import DeployKit
import DeployTestSupport
import Foundation
import Testing

/// Large: the on-target safety nets under faults (issue 7), through the engine's activation API
/// on one shared testbed node. Each test asserts the typed contract of ``DeployError``.
@Suite(.tags(.large), .serialized, .sharedTestbed(nodes: 1), .timeLimit(.minutes(2)))
struct ActivatorSafetyTests {
    static let system = "/nix/var/nix/profiles/system"

    /// A harness on the shared node whose system profile is on a fresh good closure.
    static func deployedGood(_ settings: [String: JSONValue] = [:]) async throws -> (ActivatorHarness, String) {
        let harness = ActivatorHarness(testbed: try Testbed.shared())
        let good = try await harness.closure("good", activation: "echo good")
        _ = try await harness.flow.activate(try harness.target(good, settings: settings), mode: .switch, confirm: true)
        #expect(harness.current == good)
        return (harness, good)
    }

    static func generation(_ harness: ActivatorHarness) -> Int? {
        harness.testbed.generations(node: 1, profile: system).last
    }

    @Test func testLockRefusesAnotherTempPathAndAnotherSpellingOfTheProfile() async throws {
        let (harness, good) = try await Self.deployedGood()
        defer { Task { await harness.shutdown() } }
        let next = try await harness.closure("next", activation: "echo next")
        let first = try harness.target(next, settings: ["confirmTimeout": 60])
        guard case .pending(let pending) = try await harness.flow.activate(first, mode: .switch, confirm: false) else {
            Issue.record("the first deployment is not pending")
            return
        }
        for settings: [String: JSONValue] in [
            ["tempPath": "/var/tmp"],
            ["profilePath": "/nix/var/nix/profiles/./system", "tempPath": "/var/tmp"],
        ] {
            let other = try harness.target(good, settings: settings)
            let error = await #expect(throws: DeployError.self) {
                try await harness.flow.activate(other, mode: .switch, confirm: true)
            }
            guard case .locked(let holder) = error?.failure else {
                Issue.record("not refused as locked: \(String(describing: error))")
                continue
            }
            #expect(holder.hasPrefix("deployment \(pending.id) (pid "), "\(holder)")
        }
        #expect(harness.current == next)
        _ = try await harness.flow.rollback(first.resolved, pending: pending, generation: nil)
        #expect(harness.current == good)
    }

    @Test func testStaleLockOfAKilledHolderIsTakenOver() async throws {
        let (harness, _) = try await Self.deployedGood()
        defer { Task { await harness.shutdown() } }
        let next = try await harness.closure("next", activation: "echo next")
        let target = try harness.target(next, settings: ["confirmTimeout": 60])
        guard case .pending(let pending) = try await harness.flow.activate(target, mode: .switch, confirm: false) else {
            Issue.record("not pending")
            return
        }
        // Kill the lock's holder (the watchdog) as a crash would.
        let killed = try await harness.onNode(
            "kill -9 $(sed -n 's/^pid=//p' \(Self.system.dropLast(6)).deploysh-lock-system/holder)"
        )
        #expect(killed.succeeded, "\(killed.standardErrorTail)")
        let third = try await harness.closure("third", activation: "echo third")
        let outcome = try await harness.flow.activate(try harness.target(third), mode: .switch, confirm: true)
        #expect(outcome == .activated(generation: Self.generation(harness)))
        #expect(harness.current == third)
        #expect(harness.events.all.contains { $0.message.hasPrefix("note: taking over the stale lock of deployment") })
        // The next watchdog cleared what the killed one left in its private directory, and
        // nothing of deploysh lies in /tmp itself but that directory.
        let tmp = try await harness.onNode("ls -1 /tmp")
        // (The testbed's own directory stays visible inside the node: it is not deploysh's.)
        let ours = tmp.standardOutput.split(separator: "\n").filter {
            $0.hasPrefix("deploy") && !$0.hasPrefix("deploysh-testbed-")
        }
        #expect(ours == ["deploysh-0"])
        let left = try await harness.onNode("ls -1 /tmp/deploysh-0/\(pending.id)")
        let names = left.standardOutput.split(separator: "\n").map(String.init)
        #expect(
            Set(names).isSubset(of: ["status", "watchdog.log"]) && names.contains("status"),
            "only the record of \(pending.id) may stay: \(names)"
        )
    }

    @Test func testWatchdogRollbackThatFailsIsReportedAsRollbackFailed() async throws {
        let harness = ActivatorHarness(testbed: try Testbed.shared())
        defer { Task { await harness.shutdown() } }
        let marker = harness.testbed.directory + "/once-" + harness.nonce
        // Succeeds the first time only: re-activating it during the rollback fails.
        let once = try await harness.closure("once", activation: "[ ! -e '\(marker)' ] || exit 7; : > '\(marker)'")
        _ = try await harness.flow.activate(try harness.target(once), mode: .switch, confirm: true)
        let before = Self.generation(harness)
        let next = try await harness.closure("next", activation: "echo next")
        let target = try harness.target(next, settings: ["confirmTimeout": 1])
        guard case .pending(let pending) = try await harness.flow.activate(target, mode: .switch, confirm: false) else {
            Issue.record("not pending")
            return
        }
        // The deadline passes before the confirmation: the watchdog rolls back, and that fails.
        let result = try await harness.onNode("sleep 3")
        #expect(result.succeeded)
        let error = await #expect(throws: DeployError.self) {
            try await harness.flow.confirm(target, pending: pending)
        }
        #expect(error?.state == .rollbackFailed)
        #expect(error?.failure == .rollbackFailed)
        #expect(error?.generation == before)
        #expect(error?.reason.contains("restored") == false, "\(String(describing: error?.reason))")
        #expect(harness.current == once)
    }

    @Test func testActivationThatKillsItsParentIsRolledBackByTheWatchdog() async throws {
        let (harness, good) = try await Self.deployedGood()
        defer { Task { await harness.shutdown() } }
        let before = Self.generation(harness)
        let killer = try await harness.closure("killer", activation: "kill -9 $PPID; sleep 1")
        let error = await #expect(throws: DeployError.self) {
            try await harness.flow.activate(try harness.target(killer), mode: .switch, confirm: true)
        }
        #expect(error?.state == .rolledBack, "\(String(describing: error))")
        #expect(error?.generation == before)
        #expect(harness.current == good)
    }

    @Test func testActivationTimeoutKillsTheActivationAndRollsBack() async throws {
        let (harness, good) = try await Self.deployedGood()
        defer { Task { await harness.shutdown() } }
        let pidFile = harness.testbed.directory + "/slow-" + harness.nonce
        let slow = try await harness.closure("slow", activation: "echo $$ > '\(pidFile)'; sleep 1000")
        let error = await #expect(throws: DeployError.self) {
            try await harness.flow.activate(
                try harness.target(slow, settings: ["activationTimeout": 3]),
                mode: .switch,
                confirm: true
            )
        }
        #expect(error?.failure == .activationTimedOut(seconds: 3))
        #expect(error?.state == .rolledBack)
        #expect(error?.reason.hasPrefix("activation timed out after 3 s") == true, "\(String(describing: error))")
        #expect(harness.current == good)
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)/stat") || Self.isZombie(pid))
    }

    static func isZombie(_ pid: String) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }

    @Test func testOneMegabyteOnOneLineDeploys() async throws {
        let harness = ActivatorHarness(testbed: try Testbed.shared())
        defer { Task { await harness.shutdown() } }
        let loud = try await harness.closure("loud", activation: "head -c 1048576 /dev/zero | tr -c x x; echo")
        let outcome = try await harness.flow.activate(try harness.target(loud), mode: .switch, confirm: true)
        #expect(outcome == .activated(generation: Self.generation(harness)))
        #expect(harness.current == loud)
        let long = harness.events.all.filter { $0.kind == .output && $0.message.hasPrefix("xxxx") }
        #expect(long.count == 1)
        #expect(long.first?.message.hasSuffix(" more bytes]") == true)
    }

    @Test func testDaemonKeepingStandardOutputOpenDoesNotHoldTheDeploy() async throws {
        let harness = ActivatorHarness(testbed: try Testbed.shared())
        defer { Task { await harness.shutdown() } }
        let pidFile = harness.testbed.directory + "/daemon-" + harness.nonce
        let daemon = try await harness.closure("daemon", activation: "sleep 90 & echo $! > '\(pidFile)'; echo started")
        let outcome = try await harness.flow.activate(try harness.target(daemon), mode: .switch, confirm: true)
        #expect(outcome == .activated(generation: Self.generation(harness)))
        #expect(harness.current == daemon)
        if let pid = Int32(
            (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                ?? ""
        ) {
            kill(pid, SIGKILL)
        }
    }

    /// A short confirm timeout (deadlines in 1/100 s ticks) is met by a prompt confirm, round
    /// after round. Five seconds, not one: a confirm's new ssh connection on a loaded 2-core
    /// machine (the whole suite running) took more than a second, and the node rightly rolled back.
    @Test func testShortConfirmTimeoutIsHonouredAndLeavesNoFiles() async throws {
        let harness = ActivatorHarness(testbed: try Testbed.shared())
        defer { Task { await harness.shutdown() } }
        for round in 1...6 {
            let closure = try await harness.closure("prompt\(round)", activation: "echo \(round)")
            let target = try harness.target(
                closure,
                settings: ["confirmTimeout": 5, "tempPath": .string("/tmp/prompt-" + harness.nonce)]
            )
            let outcome = try await harness.flow.activate(target, mode: .switch, confirm: true)
            #expect(outcome == .activated(generation: Self.generation(harness)), "round \(round)")
            #expect(harness.current == closure, "round \(round)")
        }
        let run = "/tmp/prompt-" + harness.nonce + "/deploysh-0"
        let listing = try await harness.onNode("ls -1 " + run)
        let deployments = listing.standardOutput.split(separator: "\n").filter { !$0.hasPrefix("activator-") }
        #expect(deployments.count <= 5, "\(deployments)")
        let files = try await harness.onNode("cd \(run) && ls -1 */")
        let leftovers = files.standardOutput.split(separator: "\n").filter {
            ["canary", "state", "deadline", "watch", "output.log", "group", "request"].contains(String($0))
        }
        #expect(leftovers.isEmpty, "\(files.standardOutput)")
    }
}
