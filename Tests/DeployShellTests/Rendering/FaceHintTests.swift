import DeployKit
import Synchronization
import Testing

@testable import DeployShell

/// Small: each hint names a step that can be taken where it is read (the shell or the one-shot),
/// chosen by the typed ``Face`` the console renders for, never by rewriting text.
@Suite struct FaceHintTests {
    @Test func testAnUnknownNodeHintsShellCommandsInTheShellAndDeployshCInTheOneShot() {
        let error = SelectionError.unknownNode("web3", suggestions: ["web1"])
        #expect(
            DiagnosticPrinter.text(error, location: nil, style: .plain, face: .shell) == """
                error: no node named 'web3'
                hint: Did you mean 'web1'? Run `nodes` to list them.
                """
        )
        #expect(
            DiagnosticPrinter.text(error, location: nil, style: .plain, face: .oneShot) == """
                error: no node named 'web3'
                hint: Did you mean 'web1'? Run `deploysh -c 'load FLAKE; nodes'` to list what the flake defines.
                """
        )
    }

    @Test(arguments: [
        (
            SelectionError.unknownProfile(node: "web1", profile: "sytem", suggestions: []),
            "Run `deploysh -c 'load FLAKE; nodes'` to list what the flake defines."
        ),
        (
            .unknownTag("wbe", suggestions: ["web"]),
            "Did you mean '@web'? Run `deploysh -c 'load FLAKE; show NODE'` to see a node's tags."
        ),
        (.noMatch("db*"), "Run `deploysh -c 'load FLAKE; nodes'` to list what the flake defines."),
    ])
    func testOneShotHintsNameNoShellCommand(error: SelectionError, hint: String) {
        #expect(error.hint(in: .oneShot) == hint)
        #expect(error.hint(in: .shell) == error.hint)
    }

    @Test func testADeployErrorKeepsTheOneShotHintOfWhatItWraps() {
        let error = DeployError.from(
            DestinationError.noUser(node: "web1", profile: "system"),
            target: ProfileRef(node: "web1", profile: "system"),
            step: .connect
        )
        #expect(
            error.hint(in: .shell)
                == "Set `sshUser` (or `user`) in the flake, as deploy-rs requires, or for this session: `set sshUser NAME`."
        )
        #expect(
            error.hint(in: .oneShot)
                == "Set `sshUser` (or `user`) in the flake, as deploy-rs requires, or pass `--ssh-user NAME`."
        )
        let cancelled = DeployError.from(
            CancellationError(),
            target: ProfileRef(node: "web1", profile: "system"),
            step: .copy
        )
        #expect(cancelled.hint(in: .shell) == "Run `status` to see where every target is.")
        #expect(cancelled.hint(in: .oneShot) == "The summary shows where every target is.")
        #expect(
            DestinationError.noHostname(node: "web1").hint(in: .oneShot)
                == "Set `hostname` on the node in the flake, or pass `--hostname HOST`."
        )
    }

    @Test func testTheConsoleRendersForItsFace() {
        let errors = Captured()
        var console = Console(
            style: .plain,
            errorStyle: .plain,
            isJSON: false,
            writeOutput: { _ in },
            writeError: { errors.append($0) }
        )
        console.face = .oneShot
        console.show(SelectionError.noMatch("db*"), location: nil)
        #expect(
            errors.text == """
                error: no target matches 'db*'
                hint: Run `deploysh -c 'load FLAKE; nodes'` to list what the flake defines.

                """
        )
    }

    @Test func testAMissingFlakeIsNotToldToSkipChecks() {
        #expect(
            Deployment.flakeCheckHint(
                flake: "./nowhere",
                standardError: ["error: path '/home/me/nowhere' does not exist"]
            ) == "nix cannot find the flake './nowhere': check the path or reference before '#' in the target "
                + "(a directory with a flake.nix, or a flake URL)."
        )
        #expect(
            Deployment.flakeCheckHint(flake: ".", standardError: ["error: checks.x86_64-linux.t failed"])
                == "Fix the failing checks shown above, or deploy without them with -s/--skip-checks."
        )
    }
}

/// Text written by a console, collected across its `@Sendable` writers.
private final class Captured: Sendable {
    private let parts = Mutex<[String]>([])
    func append(_ text: String) { parts.withLock { $0.append(text) } }
    var text: String { parts.withLock { $0.joined() } }
}
