import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: what a new user meets first, on real nix: evaluation errors, a flake argument that
/// does not load, and a profile whose plain store path does not exist.
@Suite(.tags(.large), .timeLimit(.minutes(2)))
@MainActor
struct FirstUseTests {
    @Test func testEvaluationErrorShowsNixsErrorNotTheInternalExpression() async throws {
        let flake = try FlakeFixtures.write(deploy: #"{ nodes.a = { hostname = "h"; sshUser = 5 + "x"; }; }"#)
        let shell = TestShell()
        #expect(await shell.run("load \(flake)", file: "s.dsh") == .failed)
        let errors = shell.takeErrors()
        #expect(
            errors.hasPrefix("s.dsh:1:1: error: nix eval failed for flake '\(flake)' (exit status 1)\n"),
            "\(errors)"
        )
        #expect(errors.contains(" --apply EXPR  (EXPR: deploysh's expression; `load --show-expression` prints it)\n"))
        #expect(errors.contains("error: cannot add a string to an integer"), "\(errors)")
        #expect(!errors.contains(LoadExpression.applyFunction), "\(errors)")
        #expect(errors.hasSuffix("hint: Fix the Nix error shown above, then run `load \(flake)` again.\n"), "\(errors)")
    }

    @Test func testPlanErrorLeavesOutThePlanExpression() async throws {
        let flake = try FlakeFixtures.write(
            deploy: #"{ nodes.a = { hostname = "h"; profiles.p.path = throw "no path here"; }; }"#
        )
        let shell = TestShell()
        #expect(await shell.run("load \(flake); plan a.p", file: "s.dsh") == .failed)
        let errors = shell.takeErrors()
        #expect(errors.contains(" --apply EXPR  (EXPR: deploysh's expression, left out)\n"), "\(errors)")
        #expect(errors.contains("no path here"), "\(errors)")
        let expression = PlanExpression.applyFunction(for: [ProfileRef(node: "a", profile: "p")])
        #expect(!errors.contains(expression), "\(errors)")
    }

    @Test func testAFlakeArgumentThatDoesNotLoadExitsOneWithInputFromDevNull() async throws {
        let missing = try TestEnvironment.temporaryDirectory("missing").path + "/no-flake-here"
        let runner = SubprocessRunner(environment: TestEnvironment.binaryEnvironment)
        let result = try await runner.run(Invocation(TestEnvironment.deployshBinary, [missing]))
        #expect(result.status == .exited(1), "\(result.standardErrorTail)")
        #expect(result.standardErrorTail.joined(separator: "\n").contains("error: cannot read flake '\(missing)'"))
    }

    @Test func testBuildOfAPlainStorePathThatDoesNotExistFails() async throws {
        let missing = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-not-there"
        let flake = try FlakeFixtures.write(
            deploy: #"{ nodes.a = { hostname = "h"; sshUser = "root"; profiles.p.path = "\#(missing)"; }; }"#
        )
        let shell = TestShell()
        #expect(await shell.run("load \(flake); build a.p", file: "s.dsh") == .failed)
        let errors = shell.takeErrors()
        #expect(
            errors.contains(
                "error: build failed on a.p: the profile's path \(missing) is not a derivation and not in the local "
                    + "store\n"
            ),
            "\(errors)"
        )
        #expect(!shell.takeOutput().contains("built"))
    }
}
