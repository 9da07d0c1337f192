import DeployKit

/// One node as the executor's small tests script it: whether ssh reaches it, the generation its
/// profile is on, and how its on-target activator answers.
///
/// It exists so that the activator's argv and its `deploysh:KEY=VALUE` replies (docs/testbed.md,
/// ``ActivatorOutput``) are written in ONE place for those tests: ``reply(to:)`` answers each
/// subcommand by its first word, so a change of the protocol is adapted here only.
package struct FakeNode: Sendable, Hashable {
    /// How the node's `activate` ends.
    package enum Activation: Sendable, Hashable {
        /// Activated with the magic rollback armed (`pending`); `confirm` then answers `confirmed`.
        case confirmed
        /// The activation failed and the auto rollback restored the generation before (exit 1).
        case rolledBack
    }

    package var hostname: String
    /// Whether `ssh` reaches the node (else its shared connection exits 255).
    package var isReachable: Bool
    /// The generation the profile is on before the deploy; an activation makes the next one.
    package var generation: Int
    package var activation: Activation
    /// Whether a rollback to an earlier generation succeeds.
    package var rollbackSucceeds: Bool

    package init(
        _ hostname: String,
        isReachable: Bool = true,
        generation: Int = 3,
        activation: Activation = .confirmed,
        rollbackSucceeds: Bool = true
    ) {
        self.hostname = hostname
        self.isReachable = isReachable
        self.generation = generation
        self.activation = activation
        self.rollbackSucceeds = rollbackSucceeds
    }

    /// The activator's reply to `words` (its subcommand and arguments, as after `deploysh-activator`).
    package func reply(to words: [String]) -> RecordingRunner.Response {
        let arguments = Array(words.dropFirst())
        switch words.first {
        case "status":
            return Self.lines([
                ("current", "/nix/store/old-\(hostname)"), ("generation", "\(generation)"), ("lock", "none"),
            ])
        case "activate":
            // activate PROFILE CLOSURE MODE TEMPPATH MAGIC AUTO CONFIRM_TIMEOUT ID [ACTIVATION_TIMEOUT]
            let tempPath = arguments.count > 3 ? arguments[3] : "/tmp"
            let id = arguments.count > 7 ? arguments[7] : "-"
            switch activation {
            case .confirmed:
                return Self.lines([
                    ("generation", "\(generation + 1)"), ("result", "pending"),
                    ("canary", "\(tempPath)/deploysh-canary-\(id)"),
                ])
            case .rolledBack:
                return Self.lines(
                    [("generation", "\(generation)"), ("status", "1"), ("result", "rolled-back")],
                    exitCode: 1,
                    standardError: ["activation script exited with status 1"]
                )
            }
        case "confirm":
            // confirm TEMPPATH ID WAIT NONCE: the node's record names the confirm's nonce.
            let id = arguments.count > 1 ? arguments[1] : "-"
            let nonce = arguments.count > 3 ? arguments[3] : "-"
            return Self.lines([
                ("confirming", id), ("generation", "\(generation + 1)"), ("confirmed-by", nonce),
                ("result", "confirmed"),
            ])
        case "result":
            return activation == .confirmed
                ? Self.lines([("generation", "\(generation + 1)"), ("result", "confirmed")])
                : Self.lines([("generation", "\(generation)"), ("result", "rolled-back")], exitCode: 1)
        case "rollback":
            // rollback PROFILE TEMPPATH ID|- [GEN]
            guard rollbackSucceeds else {
                return Self.lines([("status", "1"), ("result", "failed")], exitCode: 1)
            }
            let target = arguments.count > 3 ? arguments[3] : "\(generation)"
            return Self.lines([("generation", target), ("result", "rolled-back")])
        default:
            return Self.lines([], exitCode: 64, standardError: ["usage: deploysh-activator SUBCOMMAND ARGS..."])
        }
    }

    /// A reply of machine lines, in order, with an exit status.
    private static func lines(
        _ fields: [(String, String)],
        exitCode: Int32 = 0,
        standardError: [String] = []
    ) -> RecordingRunner.Response {
        RecordingRunner.Response(
            status: .exited(exitCode),
            standardOutput: fields.map { "deploysh:\($0.0)=\($0.1)\n" }.joined(),
            standardError: standardError
        )
    }
}
