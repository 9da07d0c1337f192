/// A rollout value (`--batches`, `--max-failures`, `--on-failure`, `--pause-after`, `set batches`,
/// `rollout` in the flake) that cannot be read; it names the option and the text.
package enum RolloutError: UserFacingError, Equatable {
    case badValue(option: String, value: String, reason: String)

    package var message: String {
        switch self {
        case .badValue(let option, let value, let reason):
            "\(option) \(DisplayText.quoted(value)): \(reason)"
        }
    }

    package var hint: String? {
        switch self {
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
