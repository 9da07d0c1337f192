import DeployKit

/// What one transcript says about its session: who ran it, which commands, and for every
/// target it changed the generation before and after, read back from the lines.
///
/// It exists so that `sessions` (the list), `sessions script` and `undo --session` read a
/// transcript one way. A transcript cut short (a killed deployer) reads up to its last line;
/// a plan with no summary after it marks its targets as cut off, with the generation each had
/// before when the executor had read it (`generation` lines).
package struct SessionHistory: Sendable {
    /// A target the session changed.
    package struct Change: Sendable, Hashable {
        package var ref: ProfileRef
        package var flake: String?
        package var profilePath: String?
        /// The generation before the session first changed it: `.some(nil)` when it had none,
        /// `nil` when never read.
        package var generationBefore: Int??
        /// The generation the session last saw it on.
        package var generationAfter: Int?
        /// Grows with every change in the session (the last change of this target).
        package var sequence: Int
        /// The session ended (killed) while a command was changing it: what it left is unknown.
        package var isCutOff = false
    }

    package var id: String
    package var start: TranscriptLine?
    /// The flake loaded last, or named by the first plan.
    package var flake: String?
    package var commands: [TranscriptLine] = []
    package var changes: [Change] = []
    /// The end line's exit status; `nil` when the session did not end (running, or killed).
    package var exitStatus: Int?
    package var lines: [TranscriptLine]

    package init(id: String, lines: [TranscriptLine]) {
        self.id = id
        self.lines = lines
        var byTarget: [ProfileRef: Int] = [:]
        var sequence = 0
        var openPlan: [TranscriptTarget]?
        /// Generations read before the open plan changed its targets (`generation` lines).
        var readBefore: [ProfileRef: Int?] = [:]
        func key(_ row: TranscriptTarget) -> ProfileRef {
            ProfileRef(node: row.node, profile: row.profile, flake: row.flake)
        }
        func closePlan() {
            guard let plan = openPlan else { return }
            openPlan = nil
            for row in plan
            where row.steps?.contains(where: { $0.hasPrefix("activate") || $0.hasPrefix("rollback") }) == true
                && row.steps?.contains("activate(dry-activate)") != true
            {
                sequence += 1
                let ref = key(row)
                let index = byTarget[ref] ?? changes.count
                if index == changes.count {
                    byTarget[ref] = index
                    changes.append(Change(ref: ref, flake: row.flake, profilePath: row.profilePath, sequence: 0))
                }
                changes[index].isCutOff = true
                changes[index].sequence = sequence
                if changes[index].generationBefore == nil, let before = readBefore[ref] {
                    changes[index].generationBefore = .some(before)
                }
            }
        }
        for line in lines {
            switch line.type {
            case .start: start = line
            case .flake: flake = line.flake ?? flake
            case .command:
                closePlan()
                commands.append(line)
            case .plan:
                closePlan()
                openPlan = line.targets
                readBefore = [:]
                if flake == nil { flake = line.targets?.first?.flake }
            case .summary:
                openPlan = nil
                for row in line.targets ?? [] {
                    let ref = key(row)
                    let index = byTarget[ref]
                    guard row.changed == true || index != nil else { continue }
                    var change =
                        index.map { changes[$0] }
                        ?? Change(ref: ref, flake: row.flake, profilePath: row.profilePath, sequence: 0)
                    if row.changed == true {
                        sequence += 1
                        change.sequence = sequence
                        if change.generationBefore == nil, row.beforeWasRead == true {
                            change.generationBefore = .some(row.generationBefore)
                        }
                    }
                    if row.beforeWasRead == true || row.generationAfter != nil {
                        change.generationAfter = row.generationAfter
                    }
                    change.isCutOff = false
                    change.profilePath = row.profilePath ?? change.profilePath
                    if let index {
                        changes[index] = change
                    } else {
                        byTarget[ref] = changes.count
                        changes.append(change)
                    }
                }
            case .end:
                closePlan()
                exitStatus = line.status
            case .generation:
                if let node = line.node, let profile = line.profile {
                    readBefore[ProfileRef(node: node, profile: profile, flake: line.flake)] = line.generation
                }
            case .event, .error, .done:
                break
            }
        }
        closePlan()
    }

    /// `ok`, `failed (exit 1)`, `interrupted`, or `did not end` (running, or killed).
    package var outcome: String {
        switch exitStatus {
        case nil: "did not end"
        case 0: "ok"
        case 130: "interrupted"
        case let status?: "failed (exit \(status))"
        }
    }

    /// The session's commands as a `.dsh` script that `deploysh -f` replays: the command lines
    /// in order, without `sessions` (which only reads transcripts).
    package var script: String {
        var text = "# deploysh session \(id)"
        if let start {
            text += ", started by \(start.user ?? "?")@\(start.host ?? "?") in \(start.cwd ?? "?")"
        }
        text += "\n"
        let oneShot = start?.face == "deploy"
        for command in commands {
            let line = command.text ?? ""
            let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            if word == "sessions" { continue }
            text += oneShot ? "# one-shot, not shell syntax: deploysh \(line)\n" : line + "\n"
        }
        return text
    }
}
