/// What the on-target program recorded about one deployment, read from the node.
///
/// It exists for the truth rule (docs/ARCHITECTURE.md): the deployer reports exactly what the activator or
/// its watchdog wrote in the deployment's status file (confirmed, rolled back to generation N,
/// rollback failed, still pending), or `unknown` with the last thing it saw. Nothing here is
/// inferred from message text: the activator's `deploysh:result=` and `deploysh:generation=`
/// lines are the input.
package enum ActivatorVerdict: Sendable, Hashable {
    case confirmed(generation: Int?)
    /// Activated without magic rollback (nothing to confirm).
    case activated(generation: Int?)
    /// Waiting for the canary to be deleted.
    case pending(generation: Int?)
    /// The activator or the watchdog switched back; the node is on `generation`.
    case rolledBack(generation: Int?)
    /// A rollback was attempted and did not complete; the node is on `generation`.
    case rollbackFailed(generation: Int?)
    /// The activation failed and stays (autoRollback off).
    case failed(generation: Int?)
    /// Nothing was changed (nix-env could not set the profile, or the activator died before).
    case unchanged(generation: Int?)
    /// The deployer cannot tell; `lastSeen` is what it last read.
    case unknown(lastSeen: String)

    /// The verdict for an activator's reply (`result`, `generation`, `last` lines).
    ///
    /// - Parameter nonces: The nonces of this deployer's confirms, when the reply may say
    ///   `confirmed`: a confirmation the node records for any other nonce (or none) is not
    ///   this deployer's, and the state is `unknown` (`nil`: any confirmation counts).
    package init(_ reply: ActivatorReply, confirmedBy nonces: Set<String>? = nil) {
        let generation = reply.generation
        switch reply.outcome {
        case .confirmed:
            if let nonces, !(reply.confirmedBy.map(nonces.contains) ?? false) {
                self = .unknown(
                    lastSeen: "the node records a confirmation (\(reply.confirmedBy ?? "no nonce")) "
                        + "that did not come from this deployer's confirm connection"
                )
            } else {
                self = .confirmed(generation: generation)
            }
        case .activated: self = .activated(generation: generation)
        case .pending: self = .pending(generation: generation)
        case .rolledBack: self = .rolledBack(generation: generation)
        case .rollbackFailed: self = .rollbackFailed(generation: generation)
        case .failed: self = .failed(generation: generation)
        case .setFailed, .aborted: self = .unchanged(generation: generation)
        case .timeout:
            self = .unknown(lastSeen: "the watchdog had not decided yet (last status: \(reply[.last] ?? "none"))")
        case .missing:
            self = .unknown(lastSeen: "no record of the deployment on the node (rebooted, or tempPath cleared?)")
        case .lost:
            self = .unknown(lastSeen: "the watchdog stopped without a verdict")
        case .some:
            self = .unknown(lastSeen: "the activator answered '\(reply.outcomeText ?? "")'")
        case nil:
            if let other = reply.outcomeText {
                self = .unknown(lastSeen: "the activator answered '\(other)'")
            } else {
                self = .unknown(lastSeen: "no answer from the activator (\(reply.command.status))")
            }
        }
    }

    /// Where the target stands, as the shared typed state.
    package var state: TargetState {
        switch self {
        case .confirmed: .confirmed
        case .activated: .activated
        case .pending: .pendingConfirm
        case .rolledBack: .rolledBack
        case .rollbackFailed: .rollbackFailed
        case .failed: .failed
        case .unchanged: .failed
        case .unknown: .unknown
        }
    }

    /// The generation the node reported, when it did.
    package var generation: Int? {
        switch self {
        case .confirmed(let generation), .activated(let generation), .pending(let generation),
            .rolledBack(let generation), .rollbackFailed(let generation), .failed(let generation),
            .unchanged(let generation):
            generation
        case .unknown: nil
        }
    }

    /// Whether the node could not tell (or be asked) what happened.
    package var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }

    /// What happened, for people: "rolled back to generation 3".
    package var summary: String {
        switch self {
        case .confirmed(let generation): "confirmed on generation \(Self.text(generation))"
        case .activated(let generation): "activated generation \(Self.text(generation))"
        case .pending(let generation): "generation \(Self.text(generation)) is waiting for confirmation"
        case .rolledBack(let generation): "rolled back to generation \(Self.text(generation))"
        case .rollbackFailed(let generation):
            "the rollback failed; the node is on generation \(Self.text(generation))"
        case .failed(let generation): "the node stays on generation \(Self.text(generation))"
        case .unchanged: "nothing was changed"
        case .unknown(let lastSeen): "the node's state is unknown: \(lastSeen)"
        }
    }

    private static func text(_ generation: Int?) -> String {
        generation.map(String.init) ?? "(none)"
    }
}
