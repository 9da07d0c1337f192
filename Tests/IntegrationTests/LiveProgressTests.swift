import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: progress as people see it, on a shared 3-node testbed: the live block of a deploy in
/// the real REPL under tmux, and `exec` output arriving while the command still runs.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)), .sharedTestbed(nodes: 3))
@MainActor
struct LiveProgressTests {
    /// `node.profile` of a live line: a spinner, the label, a step and its elapsed seconds.
    nonisolated static func liveTargets(on screen: String) -> Set<String> {
        let steps = Set(DeployStep.allCases.map(\.rawValue))
        var targets: Set<String> = []
        for line in screen.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 5, ["-", "\\", "|", "/"].contains(words[0]), words[1].hasPrefix("["),
                words[1].hasSuffix("]"), steps.contains(String(words[2])), Int(words[3]) != nil, words[4] == "s"
            else { continue }
            targets.insert(String(words[1].dropFirst().dropLast()))
        }
        return targets
    }

    @Test func testADeployOnATerminalShowsOneLivePerTargetThenOneResultLineEach() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try fixture.write(
            nodes: (1...3).map { index in
                (
                    "n\(index)", index,
                    "{ p = { profilePath = \"/nix/var/nix/profiles/live\"; path = \(fixture.profile("live\(index)", extra: "echo activating-n\(index); sleep 2")); }; }"
                )
            }
        )
        let state = try TestEnvironment.temporaryDirectory("state")
        let tmux = try await TmuxSession.startREPL(flake: flake, state: state.path)
        defer { Task { await tmux.kill() } }
        _ = try await tmux.waitForScreen { $0.contains("deploysh \(flake)>") }

        try await tmux.send("deploy 'n*'", "Enter")
        let everyone: Set<String> = ["n1.p", "n2.p", "n3.p"]
        let live = try await tmux.waitForScreen(seconds: 60) { Self.liveTargets(on: $0) == everyone }
        #expect(Self.liveTargets(on: live) == everyone, "\(live)")

        let done = try await tmux.waitForScreen(seconds: 90) { $0.contains("deploy summary:") }
        #expect(done.contains("deploy summary: 3 confirmed"), "\(done)")
        #expect(Self.liveTargets(on: done).isEmpty, "\(done)")
        let lines = done.split(separator: "\n").map(String.init)
        for target in everyone.sorted() {
            let results = lines.filter { $0.hasPrefix("[\(target)] ") }
            #expect(results.count == 1, "\(done)")
            #expect(results.first?.hasPrefix("[\(target)] confirm ok: generation ") == true, "\(done)")
            // What the activation printed stays under its result line once the target is done.
            let node = target.split(separator: ".")[0]
            let after = lines.drop { !$0.hasPrefix("[\(target)] ") }.dropFirst().prefix { $0.hasPrefix("    ") }
            #expect(after.contains("    activating-\(node)"), "\(done)")
        }
        // No line is left drawn mid-way: the summary starts on a line of its own, and the
        // prompt comes back below the table with nothing live left on screen.
        #expect(lines.contains { $0.hasPrefix("deploy summary: ") }, "\(done)")
        let prompt = "deploysh \(flake)>"
        let back = try await tmux.waitForScreen { $0.components(separatedBy: prompt).count == 3 }
        let after = back.split(separator: "\n").map(String.init).drop { !$0.hasPrefix("deploy summary: ") }
        #expect(after.last == prompt, "\(back)")
        #expect(Self.liveTargets(on: back).isEmpty, "\(back)")
    }

    /// Shrinking the window while a live line is drawn: the block is drawn again for the new
    /// width, no piece of the old, longer line is left on screen, and the command line stays.
    @Test func testAResizedTerminalGetsTheLiveBlockRedrawnForItsNewWidth() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try fixture.write(nodes: [("n1", 1, "{ p = { path = \(fixture.profile("resize")); }; }")])
        let state = try TestEnvironment.temporaryDirectory("state")
        let tmux = try await TmuxSession.startREPL(flake: flake, state: state.path)
        defer { Task { await tmux.kill() } }
        _ = try await tmux.waitForScreen { $0.contains("deploysh \(flake)>") }

        // The output is a line of 100 zeros: at 120 columns the live line shows 90 or more of them.
        try await tmux.send("exec n1 -- sh -c 'printf \"%0100d\\n\" 0; sleep 6; echo done'", "Enter")
        let wide = try await tmux.waitForScreen(seconds: 30) {
            $0.contains("[n1] exec") && $0.contains(String(repeating: "0", count: 80))
        }
        #expect(wide.contains(String(repeating: "0", count: 80)), "\(wide)")

        try await tmux.resize(width: 50, height: 30)
        try await Task.sleep(for: .seconds(1))
        let narrow = try await tmux.screen()
        let rows = narrow.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.filter { $0.contains("[n1] exec") }.count == 1, "\(narrow)")
        #expect(rows.allSatisfy { $0.count <= 50 }, "\(narrow)")
        // A stale piece of the old line would be a row of zeros alone (the terminal reflowed it).
        #expect(!rows.contains { !$0.isEmpty && $0.allSatisfy { $0 == "0" } }, "\(narrow)")
        #expect(try await tmux.screen(joined: true, scrollback: true).contains("> exec n1 -- sh -c"), "\(narrow)")

        _ = try await tmux.waitForScreen(seconds: 30) { $0.contains("[n1] exit 0") }
        let done = try await tmux.screen(joined: true)
        let doneRows = done.split(separator: "\n").map(String.init)
        #expect(doneRows.filter { $0.hasPrefix("[n1] exec ok") }.count == 1, "\(done)")
        #expect(!doneRows.contains { $0.hasPrefix("- [n1]") || $0.allSatisfy { $0 == "0" } }, "\(done)")
        #expect(try await tmux.screen(joined: true, scrollback: true).contains("> exec n1 -- sh -c"), "\(done)")
    }

    /// The window resized while no tick comes (the ticker is set to 10 minutes): the block is
    /// drawn again for the new width on SIGWINCH itself, with no stale or merged rows, and the
    /// command line above it stays; growing the window again draws one whole line.
    @Test func testAResizeRedrawsTheLiveBlockOnTheSignalWithoutWaitingForATick() async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try fixture.write(nodes: [("n1", 1, "{ p = { path = \(fixture.profile("winch")); }; }")])
        let state = try TestEnvironment.temporaryDirectory("state")
        let tmux = try await TmuxSession.startREPL(
            flake: flake,
            state: state.path,
            environment: ["DEPLOYSH_LIVE_INTERVAL_MS": "600000"]
        )
        defer { Task { await tmux.kill() } }
        _ = try await tmux.waitForScreen { $0.contains("deploysh \(flake)>") }

        try await tmux.send("exec n1 -- sh -c 'printf \"%0100d\\n\" 0; sleep 20; echo done'", "Enter")
        let wide = try await tmux.waitForScreen(seconds: 30) {
            $0.contains("[n1] exec") && $0.contains(String(repeating: "0", count: 80))
        }
        #expect(wide.contains(String(repeating: "0", count: 80)), "\(wide)")

        @Sendable func fits(_ screen: String, width: Int) -> Bool {
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return rows.filter { $0.contains("[n1] exec") }.count == 1 && rows.allSatisfy { $0.count < width }
                && !rows.contains { !$0.isEmpty && $0.allSatisfy { $0 == "0" } }
        }
        try await tmux.resize(width: 50, height: 30)
        let narrow = try await tmux.waitForScreen(seconds: 10) { fits($0, width: 50) }
        #expect(fits(narrow, width: 50), "\(narrow)")
        #expect(try await tmux.screen(joined: true, scrollback: true).contains("> exec n1 -- sh -c"), "\(narrow)")

        try await tmux.resize(width: 100, height: 30)
        let grown = try await tmux.waitForScreen(seconds: 10) {
            fits($0, width: 100) && $0.contains(String(repeating: "0", count: 60))
        }
        #expect(fits(grown, width: 100) && grown.contains(String(repeating: "0", count: 60)), "\(grown)")
        #expect(try await tmux.screen(joined: true, scrollback: true).contains("> exec n1 -- sh -c"), "\(grown)")
    }

    /// A session whose standard error is handed, write by write, to `onError`.
    private func session(
        json: Bool,
        output: Captured,
        onOutput: (@Sendable (String) -> Void)? = nil,
        onError: @escaping @Sendable (String) -> Void
    ) -> Session {
        let environment = ShellEnvironment(
            runner: SubprocessRunner(environment: TestEnvironment.nixEnvironment),
            localUser: "root",
            stateDirectory: NSTemporaryDirectory() + "/deploysh-test-state",
            runtimeDirectory: NSTemporaryDirectory() + "deploysh-test-\(UUID().uuidString.prefix(8))"
        )
        let console = Console(
            style: .plain,
            isJSON: json,
            writeOutput: { text in
                output.append(text)
                onOutput?(text)
            },
            writeError: onError
        )
        return Session(environment: environment, console: console)
    }

    /// The remote command prints `first`, then waits (bounded, 20 s) for a flag that the test
    /// creates only when it has seen `first` among the events; then prints `second`. Were output
    /// shown only at the end, the flag would never come and the command would fail. Piped, the
    /// output lines are on standard output (once), the step lines on standard error.
    @Test(arguments: [true, false])
    func testExecShowsANodesOutputWhileTheCommandRuns(json: Bool) async throws {
        let testbed = try SharedTestbed.require()
        let fixture = try DeployFixture(testbed: testbed)
        let flake = try fixture.write(nodes: [("n1", 1, "{ p = { path = \(fixture.profile("exec-live")); }; }")])
        let flagName = "/nix/exec-live-\(fixture.nonce)"
        let flag = testbed.hostPath(node: 1, flagName)
        defer { try? FileManager.default.removeItem(atPath: flag) }
        let errors = Captured()
        let output = Captured()
        let sawFirst: @Sendable (Bool) -> Void = { saw in
            if saw { _ = FileManager.default.createFile(atPath: flag, contents: Data()) }
        }
        let session = session(
            json: json,
            output: output,
            onOutput: { text in sawFirst(!json && text.contains("[n1] first\n")) },
            onError: { text in
                errors.append(text)
                sawFirst(json && text.contains(#""line":"first""#))
            }
        )
        let wait = "echo first; i=0; while [ ! -e \(flagName) ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; "
        let command = "exec n1 -- sh -c '\(wait)test -e \(flagName) && echo second'"
        var source = ScriptSource(text: "load \(flake); \(command)", file: "exec.dsh")
        let outcome = await Interpreter(session: session).run(&source, interactive: false, keepGoing: false)
        await session.shutdown()
        let printed = errors.take()
        #expect(outcome == .success, "\(printed)")
        let lines = printed.split(separator: "\n").map(String.init)
        if json {
            let events = lines.compactMap { try? JSONValue.parse($0) }.filter { $0["node"]?.stringValue == "n1" }
            let kinds = events.map { event in
                event["event"]?.stringValue == "output"
                    ? "output " + (event["line"]?.stringValue ?? "") : event["status"]?.stringValue ?? ""
            }
            #expect(kinds == ["started", "output first", "output second", "ok"], "\(printed)")
            let report = try JSONValue.parse(output.take().split(separator: "\n").last.map(String.init) ?? "")
            #expect(report["exec"]?.arrayValue?.first?["output"]?.stringValue == "first\nsecond\n", "\(report)")
        } else {
            let started = try #require(lines.firstIndex { $0.contains(" [n1] exec ") }, "\(printed)")
            let ended = try #require(lines.firstIndex { $0.hasSuffix(" [n1] exec ok: exit status 0") }, "\(printed)")
            #expect(started < ended, "\(printed)")
            #expect(!lines.contains { $0.hasSuffix("   first") || $0.hasSuffix("   second") }, "\(printed)")
            let report = output.take()
            #expect(report.hasSuffix("\n[n1] first\n[n1] second\n[n1] exit 0\n"), "\(report)")
        }
    }
}
