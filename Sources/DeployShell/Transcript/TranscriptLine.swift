import DeployKit

/// One line of a session transcript: a JSON object with a `type` and the fields of that type.
///
/// It exists so that writing (``Transcript``) and reading (`sessions`, `undo --session`) share
/// one shape. Every field but `type` and `time` is optional and left out when empty, so a line
/// stays short and old transcripts stay readable when fields are added.
package struct TranscriptLine: Codable, Sendable, Hashable {
    /// What a line records.
    package enum Kind: String, Codable, Sendable, Hashable {
        /// The session started: version, user, host, cwd, argv, face.
        case start
        /// A flake was loaded: its reference, and its locked revision / narHash when known.
        case flake
        /// A command line, with where it came from.
        case command
        /// A plan about to run.
        case plan
        /// The generation a target was on before a run changed it, as soon as it was read
        /// (`generation` absent: it had none); what `undo --session` needs if no summary follows.
        case generation
        /// A step event of the engine (the same ones the console shows).
        case event
        /// How a deploy, `confirm`, `rollback` or `undo` ended for every target.
        case summary
        /// An error, as shown on screen.
        case error
        /// A command line finished: `ok`, `failed` or `interrupted`.
        case done
        /// The session ended, with its exit status.
        case end
    }

    package var type: Kind
    /// Seconds since 1970.
    package var time: Double

    // start
    package var id: String?
    package var version: String?
    package var user: String?
    package var host: String?
    package var cwd: String?
    package var argv: [String]?
    /// `repl`, `script`, `command`, `stdin` or `deploy` (the one-shot).
    package var face: String?
    package var pid: Int?

    // flake (also on plans and targets)
    package var flake: String?
    package var revision: String?
    package var narHash: String?

    // command, error
    package var text: String?
    package var location: SourceLocation?

    // plan, summary
    package var targets: [TranscriptTarget]?
    package var ok: Bool?
    package var cancelled: Bool?

    // event
    package var kind: String?
    package var target: String?
    package var node: String?
    package var profile: String?
    package var step: String?
    package var message: String?

    // error
    package var hint: String?
    package var details: [String]?

    // generation
    package var generation: Int?

    // done, end
    package var outcome: String?
    package var status: Int?

    package init(_ type: Kind, time: Double) {
        self.type = type
        self.time = time
    }
}

/// One target in a transcript's plan or summary: enough to find it again from another process
/// (flake, node, profile, profile path) and to undo it (the generation before and after).
package struct TranscriptTarget: Codable, Sendable, Hashable {
    package var target: String
    package var flake: String?
    package var node: String
    package var profile: String
    package var hostname: String?
    package var profilePath: String?
    package var storePath: String?
    /// The plan's steps (`buildLocally`, `copy`, `activate(switch)`, ...), on plan lines.
    package var steps: [String]?
    /// The target's state, on summary lines.
    package var state: String?
    package var generationBefore: Int?
    /// Whether `generationBefore` was read from the node (so its absence means "none").
    package var beforeWasRead: Bool?
    package var generationAfter: Int?
    /// Whether this command changed the profile on the node (a new or another generation).
    package var changed: Bool?
    package var error: String?

    package init(target: String, flake: String?, node: String, profile: String) {
        self.target = target
        self.flake = flake
        self.node = node
        self.profile = profile
    }
}
