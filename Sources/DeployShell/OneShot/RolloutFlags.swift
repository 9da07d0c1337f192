import ArgumentParser
import DeployKit

/// `--batches`, `--max-failures`, `--on-failure` and `--pause-after`, read the same way by the
/// shell's `deploy` and the one-shot CLI; a bad value is a usage error naming the flag.
package enum RolloutFlags {
    package static func overrides(
        batches: String?,
        maxFailures: String?,
        onFailure: String?,
        pauseAfter: String?
    ) throws -> Rollout.Overrides {
        do throws(RolloutError) {
            return Rollout.Overrides(
                batches: try batches.map { text throws(RolloutError) in try Rollout.parseBatches(text) },
                maxFailures: try maxFailures.map { text throws(RolloutError) in try Rollout.parseBudget(text) },
                onFailure: try onFailure.map { text throws(RolloutError) in try Rollout.parseOnFailure(text) },
                pauseAfter: try pauseAfter.map { text throws(RolloutError) in try Rollout.parsePauseAfter(text) }
            )
        } catch {
            throw ValidationError(error.message + (error.hint.map { ". " + $0 } ?? ""))
        }
    }
}
