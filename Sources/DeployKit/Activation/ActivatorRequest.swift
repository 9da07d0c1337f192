/// One call of the on-target activator, as a typed value.
///
/// ``arguments`` is the one place that spells the activator's argv (docs/testbed.md lists the
/// subcommands); callers never build it by hand.
package enum ActivatorRequest: Sendable, Hashable {
    /// Sets the profile to the closure and runs its activation (with the safety nets).
    case activate(Activation)
    /// Waits up to `timeout` seconds for the canary of deployment `id`.
    case wait(tempPath: String, id: String, timeout: Int)
    /// Confirms deployment `id` (deletes its canary) and waits up to `wait` seconds for the
    /// watchdog's verdict; `nonce` comes back in the node's record of who confirmed.
    case confirm(tempPath: String, id: String, wait: Int, nonce: String?)
    /// The watchdog's verdict on deployment `id`, waiting up to `timeout` seconds for one.
    case result(tempPath: String, id: String, timeout: Int)
    /// Asks the watchdog of the pending deployment `id` to roll back now.
    case rollbackPending(profile: String, tempPath: String, id: String)
    /// Switches the profile to `generation` (`nil`: the one before the current one).
    case rollback(profile: String, tempPath: String, generation: Int?)
    /// Pushes the watchdog's deadline of deployment `id` to `seconds` from now.
    case extend(tempPath: String, id: String, seconds: Int)
    /// Every generation of the profile.
    case generations(profile: String)
    /// What the profile points to, its lock and pending deployments.
    case status(profile: String, tempPath: String)
    /// Where the profile `name` of `user` lives on the node (deploy-rs's per-user rule).
    case profilePath(user: String, name: String)

    /// The arguments of `activate`.
    package struct Activation: Sendable, Hashable {
        package var profile: String
        package var closure: String
        package var mode: ActivationMode
        package var tempPath: String
        package var magicRollback: Bool
        package var autoRollback: Bool
        package var confirmTimeout: Int
        package var id: String
        /// Seconds the activation may run (0: no limit).
        package var activationTimeout: Int

        package init(
            profile: String,
            closure: String,
            mode: ActivationMode,
            tempPath: String,
            magicRollback: Bool,
            autoRollback: Bool,
            confirmTimeout: Int,
            id: String,
            activationTimeout: Int
        ) {
            self.profile = profile
            self.closure = closure
            self.mode = mode
            self.tempPath = tempPath
            self.magicRollback = magicRollback
            self.autoRollback = autoRollback
            self.confirmTimeout = confirmTimeout
            self.id = id
            self.activationTimeout = activationTimeout
        }
    }

    /// The subcommand and its arguments, exactly as the activator reads them.
    package var arguments: [String] {
        switch self {
        case .activate(let a):
            [
                "activate", a.profile, a.closure, a.mode.rawValue, a.tempPath, a.magicRollback ? "1" : "0",
                a.autoRollback ? "1" : "0", String(a.confirmTimeout), a.id, String(max(0, a.activationTimeout)),
            ]
        case .wait(let tempPath, let id, let timeout): ["wait", tempPath, id, String(timeout)]
        case .confirm(let tempPath, let id, let wait, let nonce):
            ["confirm", tempPath, id, String(wait)] + (nonce.map { [$0] } ?? [])
        case .result(let tempPath, let id, let timeout): ["result", tempPath, id, String(timeout)]
        case .rollbackPending(let profile, let tempPath, let id): ["rollback", profile, tempPath, id]
        case .rollback(let profile, let tempPath, let generation):
            ["rollback", profile, tempPath, "-"] + (generation.map { [String($0)] } ?? [])
        case .extend(let tempPath, let id, let seconds): ["extend", tempPath, id, String(seconds)]
        case .generations(let profile): ["generations", profile]
        case .status(let profile, let tempPath): ["status", profile, tempPath]
        case .profilePath(let user, let name): ["profile-path", user, name]
        }
    }
}
