/// A rollout value (`--batches`, `--max-failures`, `--on-failure`, `--pause-after`, `set batches`,
/// `rollout` in the flake) that cannot be read; it names the option and the text.
package enum RolloutError: UserFacingError, Equatable {
    case badValue(option: String, value: String, reason: String)
    /// A paused rollout that the user ended (`abort`, or "no" at the one-shot's question).
    case aborted(afterBatch: Int)

    package var message: String {
        switch self {
        case .badValue(let option, let value, let reason):
            "\(option) \(DisplayText.quoted(value)): \(reason)"
        case .aborted(let batch):
            "rollout aborted after batch \(batch)"
        }
    }

    package var hint: String? {
        switch self {
        case .aborted:
            "The rollout's on-failure rule was applied to what this deploy activated; see the summary."
        case .badValue(let option, _, _):
            switch option {
            case "--batches", "batches", "rollout.batches":
                "Give counts or percentages of the selected nodes, e.g. `--batches 1,25%,100%`."
            case "--max-failures", "maxFailures", "rollout.maxFailures":
                "Give a number of nodes or a percentage, e.g. `--max-failures 1` or `--max-failures 10%`."
            case "--on-failure", "onFailure", "rollout.onFailure":
                "Use one of rollback-all, rollback-batch or halt."
            default:
                "Give batch numbers from 0, e.g. `--pause-after 0` to stop after the canary."
            }
        }
    }
}
