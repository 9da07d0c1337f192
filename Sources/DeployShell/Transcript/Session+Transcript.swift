import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// What a session writes to its transcript: its start and end, each command line with where it
/// came from, each plan, summary and error. (Step events go through ``TranscriptEventSink``.)
///
/// Every method does nothing when the session has no transcript (tests, or transcripts off).
extension Session {
    /// Opens this session's transcript in `store` and records the start line.
    ///
    /// - Parameters:
    ///   - face: How deploysh was started: `repl`, `script`, `command`, `stdin` or `deploy`.
    ///   - argv: The command line (secrets are masked here).
    /// - Throws: ``TranscriptError`` when the file cannot be created.
    package func startTranscript(in store: TranscriptStore, face: String, argv: [String]) throws {
        guard store.isEnabled else { return }
        let transcript = try store.create()
        var line = TranscriptLine(.start, time: Transcript.now)
        line.id = transcript.id
        line.version = DeployshVersion.current
        line.user = environment.localUser
        line.host = Self.hostName()
        line.cwd = FileManager.default.currentDirectoryPath
        line.argv = TranscriptMasking.masked(argv)
        line.face = face
        line.pid = Int(getpid())
        transcript.append(line)
        self.transcript = transcript
    }

    /// Records a command line (masked) and where it came from.
    package func recordCommand(_ text: String, location: SourceLocation) {
        guard let transcript else { return }
        var line = TranscriptLine(.command, time: Transcript.now)
        line.text = TranscriptMasking.masked(text)
        line.location = location
        transcript.append(line)
    }

    /// Records how a command line ended: `ok`, `failed` or `interrupted`.
    package func recordDone(_ outcome: Interpreter.Outcome) {
        guard let transcript else { return }
        var line = TranscriptLine(.done, time: Transcript.now)
        switch outcome {
        case .success: line.outcome = "ok"
        case .failed: line.outcome = "failed"
        case .interrupted: line.outcome = "interrupted"
        }
        transcript.append(line)
    }

    /// Records an error as the screen shows it (message, details, hint, location).
    package func recordError(_ error: any Error, location: SourceLocation?) {
        guard let transcript else { return }
        let described = DiagnosticPrinter.describe(error)
        var line = TranscriptLine(.error, time: Transcript.now)
        line.message = described.message
        line.hint = described.hint
        line.details = described.details.isEmpty ? nil : described.details
        line.location = location
        transcript.append(line)
    }

    /// Records a loaded flake, with the revision and narHash its reference pins, if any.
    ///
    /// Nix is not asked (`nix flake metadata` costs a process and a lock-file read on every
    /// start): only what the reference itself says (`?rev=`, `&narHash=`) is recorded.
    func recordFlake(_ reference: String) {
        guard let transcript else { return }
        var line = TranscriptLine(.flake, time: Transcript.now)
        line.flake = reference
        if let query = reference.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                if parts[0] == "rev" { line.revision = parts[1] }
                if parts[0] == "narHash" { line.narHash = parts[1] }
            }
        }
        transcript.append(line)
    }

    /// Records how a deploy ended for every target, with what `undo --session` needs.
    func recordSummary(_ result: DeploymentResult) {
        guard let transcript else { return }
        let planned = Dictionary(result.plan.targets.map { ($0.ref, $0) }, uniquingKeysWith: { first, _ in first })
        var line = TranscriptLine(.summary, time: Transcript.now)
        line.ok = result.error == nil
        line.cancelled = result.summary.wasCancelled
        line.targets = result.summary.targets.map { record in
            var row = Self.transcriptTarget(planned[record.ref]?.target, ref: record.ref, flake: flakeName(result))
            row.storePath = record.storePath.isEmpty ? nil : record.storePath
            row.state = record.state.rawValue
            row.generationBefore = record.generationBefore
            row.beforeWasRead = record.beforeWasRead
            row.generationAfter = record.generationAfter
            row.changed =
                (planned[record.ref]?.changesProfile ?? false) && record.state != .dryActivated
                && record.generationAfter != record.generationBefore
            row.error = record.error?.reason
            return row
        }
        transcript.append(line)
    }

    /// Records the session's end and closes the transcript.
    package func endTranscript(status: Int32) {
        guard let transcript else { return }
        var line = TranscriptLine(.end, time: Transcript.now)
        line.status = Int(status)
        transcript.append(line)
        transcript.close()
    }

    /// The plan observer for this session's deployments: one `plan` line per plan run.
    ///
    /// - Parameter flake: The flake of the plan's targets when the session has none loaded (the one-shot's).
    func transcriptPlanObserver(flake: String? = nil) -> (@Sendable (DeployPlan) -> Void)? {
        guard let transcript else { return nil }
        let flake = flake ?? self.flake
        return { plan in
            var line = TranscriptLine(.plan, time: Transcript.now)
            line.targets = plan.targets.map { target in
                var row = Self.transcriptTarget(target.target, ref: target.ref, flake: flake)
                row.storePath = target.target.storePath.isEmpty ? nil : target.target.storePath
                row.steps = target.steps.map(Self.stepName)
                return row
            }
            transcript.append(line)
        }
    }

    /// The generation observer for this session's deployments: one `generation` line per
    /// target, as soon as the executor read where it was before changing it.
    func transcriptGenerationObserver(flake: String? = nil) -> (@Sendable (DeployTarget, Int?) -> Void)? {
        guard let transcript else { return nil }
        let flake = flake ?? self.flake
        return { target, generation in
            var line = TranscriptLine(.generation, time: Transcript.now)
            let row = Self.transcriptTarget(target, ref: target.ref, flake: flake)
            line.target = row.target
            line.flake = row.flake
            line.node = row.node
            line.profile = row.profile
            line.generation = generation
            transcript.append(line)
        }
    }

    /// The flake of a result's targets when there is one (the one-shot's, or the loaded one).
    private func flakeName(_ result: DeploymentResult) -> String? {
        result.flakes.count == 1 ? result.flakes[0].reference : flake
    }

    nonisolated private static func transcriptTarget(
        _ target: DeployTarget?,
        ref: ProfileRef,
        flake: String?
    ) -> TranscriptTarget {
        var row = TranscriptTarget(
            target: ref.description,
            flake: target?.resolved.flake ?? ref.flake ?? flake,
            node: ref.node,
            profile: ref.profile
        )
        row.hostname = target?.resolved.hostname
        row.profilePath = target?.resolved.location.displayPath
        return row
    }

    nonisolated private static func stepName(_ step: DeployPlan.Step) -> String {
        switch step {
        case .buildLocally: "buildLocally"
        case .buildRemotely: "buildRemotely"
        case .copy: "copy"
        case .activate(let mode): "activate(\(mode.rawValue))"
        case .confirm: "confirm"
        case .confirmPending: "confirmPending"
        case .rollback(let generation, _): generation.map { "rollback(\($0))" } ?? "rollback"
        }
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Session {
    /// Records a command given as words (the one-shot `deploysh deploy ...`), masked and quoted
    /// so the shell would read it back alike.
    package func recordCommand(words: [String], file: String) {
        guard let transcript else { return }
        var line = TranscriptLine(.command, time: Transcript.now)
        line.text = TranscriptMasking.masked(words.map(RemoteShell.quoteIfNeeded).joined(separator: " "))
        line.location = SourceLocation(file: file, line: 1, column: 1)
        transcript.append(line)
    }
}
