import DeployKit

/// The work of one `undo`: finding each changed target in its flake, reading where its node is,
/// and deciding which targets go back; what is left out is kept with the reason.
@MainActor
struct UndoRun {
    /// A target a session changed, with what undo needs to return it.
    struct Change: Sendable {
        var ref: ProfileRef
        var flake: String?
        /// The generation before the session: `.some(nil)` when it had none, `nil` when never read.
        var before: Int??
        /// The generation the session left it on.
        var left: Int?
        var sequence: Int
        /// The session ended while changing it: what it left is unknown, so any generation is accepted.
        var isCutOff: Bool
    }

    var force: Bool
    /// Targets not returned, with the reason (refused, no generation before, unreachable).
    var skipped: [UndoReport.Skipped] = []
    /// Targets already on the generation they had before (nothing to do).
    var unchanged: [UndoReport.Skipped] = []

    init(force: Bool) {
        self.force = force
    }

    /// Each change with its resolved profile, newest change first; those that cannot be found
    /// (no generation before, flake or profile gone) are skipped with the reason.
    mutating func resolve(_ changes: [Change], in session: Session) async throws -> [(Change, ResolvedProfile, Int)] {
        var flakes: [String: LoadedFlake] = [:]
        if let loaded = session.loaded { flakes[loaded.reference] = loaded }
        var resolved: [(Change, ResolvedProfile, Int)] = []
        for change in changes {
            let name = change.ref.description
            guard let before = change.before else {
                skip(name, UndoError.beforeNotRecorded(target: name))
                continue
            }
            guard let generation = before else {
                skip(name, UndoError.noGenerationBefore(target: name))
                continue
            }
            do {
                guard let reference = change.flake ?? session.flake else { throw SessionError.nothingLoaded }
                let flake: LoadedFlake
                if let known = flakes[reference] {
                    flake = known
                } else {
                    flake = try await session.deployment().load(reference)
                    flakes[reference] = flake
                }
                var profile = try flake.config.resolve(
                    node: change.ref.node,
                    profile: change.ref.profile,
                    overrides: session.settings.overrides,
                    localUser: session.environment.localUser
                )
                // Another flake than the loaded one: its targets carry it (as a deploy over two flakes does).
                if reference != session.flake { profile.flake = reference }
                resolved.append((change, profile, generation))
            } catch {
                let described = DiagnosticPrinter.describe(error)
                skipped.append(.init(target: name, reason: described.message, hint: described.hint))
            }
        }
        return resolved
    }

    /// Reads where each target is (nodes concurrently) and returns those to roll back, newest
    /// change first; a target someone changed since is refused unless `force`.
    mutating func check(
        _ resolved: [(Change, ResolvedProfile, Int)],
        in session: Session
    ) async throws -> [(target: DeployTarget, generation: Int)] {
        guard !resolved.isEmpty else { return [] }
        let engine = try await session.services()
        let reads = try await engine.activation.statuses(of: resolved.map(\.1), jobs: session.settings.effectiveJobs)
        var items: [(target: DeployTarget, generation: Int)] = []
        for ((change, profile, generation), read) in zip(resolved, reads) {
            let name = profile.ref.description
            switch read.result {
            case .failure(let failure):
                skip(name, failure)
            case .success(let status):
                if status.generation == generation {
                    unchanged.append(.init(target: name, reason: "already on generation \(generation)"))
                } else if !force, !change.isCutOff, status.generation != change.left {
                    skip(name, UndoError.changedSince(target: name, found: status.generation, left: change.left))
                } else {
                    items.append((DeployTarget(resolved: profile, storePath: "", derivationPath: nil), generation))
                }
            }
        }
        return items
    }

    /// Leaves `target` where it is, for the reason `error` gives.
    private mutating func skip(_ target: String, _ error: any UserFacingError) {
        skipped.append(.init(target: target, reason: error.message, hint: error.hint))
    }

    /// `flake` made absolute against `cwd` when it is a relative local path (`.`, `path:./x`).
    nonisolated static func absolute(_ flake: String, cwd: String?) -> String {
        guard let cwd else { return flake }
        if flake.hasPrefix("path:") {
            let path = flake.dropFirst(5)
            return path.hasPrefix("/") ? flake : "path:" + cwd + "/" + path
        }
        if flake.contains(":") || flake.hasPrefix("/") { return flake }
        return flake == "." ? cwd : cwd + "/" + flake
    }
}

/// Why `undo` left a target where it is.
package enum UndoError: UserFacingError, Equatable {
    case changedSince(target: String, found: Int?, left: Int?)
    case noGenerationBefore(target: String)
    case beforeNotRecorded(target: String)
    /// The first target left alone, and how many more were.
    case notUndone(reason: String, hint: String?, more: Int)

    package var message: String {
        switch self {
        case .changedSince(let target, let found, let left):
            "\(target) is on generation \(found.map(String.init) ?? "(none)"), not generation "
                + "\(left.map(String.init) ?? "(none)") that the session left: someone changed it since; not undone"
        case .noGenerationBefore(let target):
            "\(target) had no generation before the session; undo cannot return it to nothing "
                + "(profiles are never deleted); left as it is"
        case .beforeNotRecorded(let target):
            "\(target): the generation it had before the session was never recorded "
                + "(the session ended before its summary); not undone"
        case .notUndone(let reason, _, let more): more > 0 ? "\(reason) (and \(more) more not undone)" : reason
        }
    }

    package var hint: String? {
        switch self {
        case .changedSince: "Run `generations` to look, then `undo --force` to return it anyway."
        case .noGenerationBefore, .beforeNotRecorded: "Run `generations` and `rollback --to GEN` to choose by hand."
        case .notUndone(_, let hint, _): hint
        }
    }
}
