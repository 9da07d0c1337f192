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
}
