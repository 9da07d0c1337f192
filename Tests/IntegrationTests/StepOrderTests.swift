import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: step commands taken in an order a new user tries, on a real testbed node: each says
/// what to run next instead of a misleading hint.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct StepOrderTests {
    @Test func testActivateBeforeCopySaysCopyAndDiffAfterARemoteBuildDiffsOnTheTarget() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(nodes: [("web", 1, "{ system.path = \(fixture.profile("order")); }")])
            let shell = TestShell()
            #expect(await shell.run("load \(flake); select web.system; build") == .success, "\(shell.takeErrors())")
            #expect(await shell.run("activate --no-confirm", file: "a.dsh") == .failed)
            var errors = shell.takeErrors()
            #expect(errors.contains("is not in the store of \(testbed.address(1)); nothing was changed"), "\(errors)")
            #expect(errors.contains("hint: Run `copy` first (or `build --remote`"), "\(errors)")
            #expect(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") == nil)
            #expect(fixture.activations(of: "order").isEmpty)

            _ = shell.takeOutput()
            #expect(await shell.run("build --remote; diff", file: "d.dsh") == .success, "\(shell.takeErrors())")
            let output = shell.takeOutput()
            #expect(output.contains("web.system: (no current profile) -> /nix/store/"), "\(output)")
            #expect(output.contains("+ order-\(fixture.nonce)"), "\(output)")
            errors = shell.takeErrors()
            #expect(!errors.contains("Run `build` first"), "\(errors)")
        }
    }

    /// The REPL's prompt shows the seconds left to confirm, and they count down while the person
    /// sits at the prompt (and while typing), not only when a new prompt is printed.
    @Test func testConfirmCountdownInThePromptTicksWhileIdle() async throws {
        try await withTestbed(nodes: 1) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try fixture.write(
                nodes: [("web", 1, "{ system.path = \(fixture.profile("tick")); }")],
                settings: "confirmTimeout = 60;"
            )
            let state = try TestEnvironment.temporaryDirectory("state")
            let tmux = try await TmuxSession.startREPL(flake: flake, state: state.path)
            defer { Task { await tmux.kill() } }
            _ = try await tmux.waitForScreen { $0.contains("deploysh \(flake)>") }
            try await tmux.send("build web.system; copy web.system; activate --no-confirm web.system", "Enter")
            let pending = try await tmux.waitForScreen(seconds: 60) { $0.contains("(confirm web.system: ") }
            let first = try #require(Self.secondsLeft(on: pending), "\(pending)")
            try await tmux.send("conf")
            let later = try await tmux.waitForScreen { screen in
                Self.secondsLeft(on: screen).map { $0 < first } ?? false
            }
            #expect(Self.secondsLeft(on: later).map { $0 < first } == true, "\(later)")
            #expect(later.contains(" s)> conf"), "\(later)")
            #expect(!later.contains(" s)> deploysh"), "the prompt is redrawn in place: \(later)")
            try await tmux.send("irm", "Enter")
            let confirmed = try await tmux.waitForScreen { $0.contains("confirm ok") }
            #expect(confirmed.contains("confirm ok"), "\(confirmed)")
        }
    }

    /// The seconds in the last `(confirm TARGET: N s)` on the screen.
    nonisolated private static func secondsLeft(on screen: String) -> Int? {
        guard let start = screen.range(of: "(confirm ", options: .backwards) else { return nil }
        let rest = screen[start.upperBound...]
        guard let colon = rest.range(of: ": ") else { return nil }
        return Int(rest[colon.upperBound...].prefix { $0.isNumber })
    }
}
