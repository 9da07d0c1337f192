import DeployKit
import Foundation
import Synchronization

/// Drives ``ActivationFlow`` (the engine's activation API) against node 1 of a real testbed.
///
/// Integration tests of the on-target safety nets use it to assert on the typed contract
/// (``DeployError/failure``, ``DeployError/state``, ``DeployError/generation``) rather than on
/// rendered text. Profiles are `builtins.derivation`s built with the local nix and copied with
/// `nix copy`, as deploysh itself does.
package struct ActivatorHarness: Sendable {
    package let testbed: Testbed
    package let runner: SubprocessRunner
    package let remote: RemoteSession
    package let events: RecordedEvents
    package let nonce: String

    package init(testbed: Testbed) {
        self.testbed = testbed
        runner = SubprocessRunner(environment: TestEnvironment.nixEnvironment)
        remote = RemoteSession(
            runner: runner,
            controlDirectory: testbed.directory + "/ctl-" + UUID().uuidString.prefix(6)
        )
        events = RecordedEvents()
        nonce = "h" + UUID().uuidString.prefix(8).lowercased()
    }

    package var flow: ActivationFlow { ActivationFlow(runner: runner, remote: remote, events: events) }

    /// Builds a profile whose `deploy-rs-activate` runs `activation` and copies it to node 1.
    package func closure(_ name: String, activation: String) async throws -> String {
        let expression = FlakeFixtures.profile("\(name)-\(nonce)", activation: activation)
            .replacingOccurrences(
                of: "system = \(FlakeFixtures.nixString(FlakeFixtures.system))",
                with: "system = builtins.currentSystem"
            )
        let built = try await runner.run(Invocation("nix-build", ["--no-out-link", "-E", expression]))
        guard built.succeeded else { throw TestbedError(message: "nix-build failed: \(built.standardErrorTail)") }
        let path = built.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let copied = try await copy(path)
        guard copied.succeeded else { throw TestbedError(message: "nix copy failed: \(copied.standardErrorTail)") }
        return path
    }

    /// `nix copy` of `path` to node 1 (the result, not judged).
    package func copy(_ path: String) async throws -> CommandResult {
        try await runner.run(
            Invocation(
                "nix",
                ["copy", "--to", "ssh://root@" + testbed.address(1), path],
                environment: ["NIX_SSHOPTS": "-F " + testbed.sshConfig]
            )
        )
    }

    /// A target on node 1 for `storePath` with `settings` (deploy-rs attribute names).
    package func target(_ storePath: String, profile: String = "system", settings: [String: JSONValue] = [:]) throws
        -> DeployTarget
    {
        var attributes: [String: JSONValue] = [
            "hostname": .string(testbed.address(1)),
            "sshUser": "root",
            "user": "root",
            "sshOpts": ["-F", .string(testbed.sshConfig)],
            "profiles": .object([profile: .object(["__deployshHasPath": .bool(true)])]),
        ]
        attributes.merge(settings) { $1 }
        let config = try DeployConfig(json: ["nodes": ["web": .object(JSONObject(attributes))]])
        let resolved = try config.resolve(node: "web", profile: profile, localUser: "root")
        return DeployTarget(resolved: resolved, storePath: storePath, derivationPath: nil)
    }

    /// Runs `command` on node 1 over a new ssh connection.
    package func onNode(_ command: String) async throws -> CommandResult {
        try await runner.run(
            Invocation(
                "ssh",
                ["-F", testbed.sshConfig, "-o", "ControlPath=none", "root@" + testbed.address(1), command]
            )
        )
    }

    /// Where the system profile of node 1 points now.
    package var current: String? { testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system") }

    /// Ends the shared ssh connections.
    package func shutdown() async { await remote.shutdown() }
}

/// Every event an engine step emitted, in order (a test reads them after the step).
package final class RecordedEvents: EventSink {
    private let events = Mutex<[DeployEvent]>([])

    package init() {}

    package func emit(_ event: DeployEvent) {
        events.withLock { $0.append(event) }
    }

    package var all: [DeployEvent] { events.withLock { $0 } }
}
