/// The one-shot's hint for a step failure whose hint names shell commands.
///
/// Many engine hints name a shell command (`rollback web1.system`, `check-health`,
/// `generations`): the right next step in the REPL, but not something a person can type after
/// `deploysh deploy`. The one-shot has no session; the same commands run there as a command
/// line (`deploysh -c 'load FLAKE; ...'`, as ``SelectionError`` says). The hint is chosen by
/// the typed failure and the state it left, never by reading the shell hint's text.
extension DeployError {
    /// The hint in the one-shot when the failure's site gave none (``oneShotHint``), or `nil`
    /// when the shell hint fits there too.
    var oneShotFallback: String? {
        let target = target.description
        func command(_ words: String) -> String { "`deploysh -c 'load FLAKE; \(words)'`" }
        switch (failure, state) {
        case (.unhealthy, .unhealthy):
            return "The target stays on the new generation (magicRollback and autoRollback are off); "
                + "go back with \(command("rollback \(target)"))."
        case (.unhealthy, _):
            return "Fix what the check reports, then deploy again; \(command("check-health \(target)")) "
                + "runs the checks now."
        case (.preDeployCheckFailed, _):
            return "The node was left untouched. Fix what the check reports and deploy again, "
                + "or deploy with --skip-pre-deploy-checks."
        case (.activationFailed, .failed), (.activationTimedOut, .failed):
            return "Go back with \(command("rollback \(target)")), or fix the activation and deploy again."
        case (.rollbackFailed, _):
            return "List the generations there with \(command("generations \(target)")) and roll back by hand "
                + "(`rollback \(target) --to GEN`)."
        case (.locked, _):
            return "Wait for the other deployment to finish, then deploy again."
        case (.canaryMissing, _), (.other, .unknown):
            return "The summary shows what is known; \(command("generations \(target)")) shows where the node is."
        default:
            return nil
        }
    }
}
