import DeployKit

/// The live lines of a run on a terminal, as a value: one line per running target (and one
/// `[all]` line for the shared build), and the permanent lines events leave behind.
///
/// It exists so that what a terminal shows can be tested without one: events go in with a
/// clock value, and out come the permanent lines to print above the block (a target's result,
/// a note) and, for any clock value, the block's lines trimmed to a width. ``LiveDisplay``
/// only writes them.
package struct LiveBoard: Sendable, Hashable {
    /// What one live line shows.
    package struct Entry: Sendable, Hashable {
        /// The target (`node.profile`), the node (`exec`), or `nil` for the whole selection.
        package var key: String?
        package var step: DeployStep
        /// The message of the step's start, or of its end once it ended ok (control characters visible).
        package var detail: String
        /// When the current step started (or ended ok), on the board's clock.
        package var since: Double
        /// When this line appeared, for the total time on the result line.
        package var appeared: Double
        /// `false` once the step ended ok and the next one has not started yet.
        package var isRunning: Bool
        /// The last lines of output of the current step (control characters visible).
        package var tail: [String]
        /// The output of the target's activation (its last lines, or all with `showsAllOutput`),
        /// shown under its result line once the target is done.
        package var activation: [String] = []
        /// How many lines the activation printed, kept or not.
        package var activationLineCount = 0

        /// `[web1.system]`, `[web1]` or `[all]`.
        package var label: String { "[" + DisplayText.visible(key ?? "all") + "]" }
    }

    /// The lines, in the order their targets first showed up.
    package private(set) var entries: [Entry] = []
    /// The header above the running batch's nodes in a staged rollout (`batch 1 (2/3): 2 nodes`).
    package private(set) var batchHeader: String?
    /// Whether a failed activation's result line may point at `show-log TARGET`.
    package var offersShowLog: Bool
    /// Output lines kept per line, shown under a failed target's result line.
    package var tailLimit = 6
    /// The most lines the block takes; more targets are counted on its last line.
    package var maxLines = 15
    /// Lines of a successful activation's output kept under its result line.
    package var activationTailLimit = 5
    /// Whether a successful activation's whole output is shown (`deploy --show-output`).
    package var showsAllOutput = false
    /// The most lines of one activation kept even with `showsAllOutput` (a bound on memory).
    static let activationLimit = 10_000

    package init(offersShowLog: Bool = false) {
        self.offersShowLog = offersShowLog
    }

    package var isEmpty: Bool { entries.isEmpty }
    /// Whether a spinner or elapsed time on the block changes with the clock.
    package var isAnimated: Bool { entries.contains(where: \.isRunning) }

    /// Steps after which a target has nothing more to do in the run: its line becomes its result.
    static let finalSteps: Set<DeployStep> = [.confirm, .rollback, .exec, .generations]

    // MARK: - Events

    /// Applies `event`, received at `now` on the board's clock.
    ///
    /// - Returns: the permanent lines it leaves, to print above the block.
    package mutating func apply(_ event: DeployEvent, at now: Double, style: TextStyle) -> [String] {
        if let batch = event.batch {
            batchHeader = batch.status == "started" ? batch.header : nil
            return [style.bold(batch.line)]
        }
        let key = event.target
        switch event.kind {
        case .started:
            let index = update(key, to: event.step, detail: Self.visible(event.message), isRunning: true, at: now)
            if event.step == .activate {
                entries[index].activation = []
                entries[index].activationLineCount = 0
            }
            return []
        case .output:
            let index = index(of: key) ?? update(key, to: event.step, detail: "", isRunning: true, at: now)
            entries[index].tail.append(Self.visible(event.message))
            if entries[index].tail.count > tailLimit { entries[index].tail.removeFirst() }
            if key != nil, event.step == .activate { keepActivationOutput(event.message, at: index) }
            return []
        case .waiting:
            return [event.label + " " + style.yellow(Self.visible(event.message))]
        case .warning:
            return [style.yellow("warning:") + " " + Self.visible(event.message)]
        case .finished:
            if key != nil { endShared(event.step) }
            guard key != nil, !Self.finalSteps.contains(event.step) else {
                return result(of: event, at: now, style: style)
            }
            update(key, to: event.step, detail: Self.visible(event.message), isRunning: false, at: now)
            return []
        case .failed:
            let shared = key == nil ? nil : endShared(event.step)
            let sharedOutput = (shared?.tail ?? []).map { "    " + style.dim($0) }
            return result(of: event, at: now, style: style) + sharedOutput
        }
    }

    /// Moves `key`'s line to `step` (a new line at the end when it has none), its output reset.
    ///
    /// - Returns: the line's index.
    @discardableResult
    private mutating func update(
        _ key: String?,
        to step: DeployStep,
        detail: String,
        isRunning: Bool,
        at now: Double
    ) -> Int {
        let index =
            index(of: key)
            ?? {
                entries.append(
                    Entry(key: key, step: step, detail: "", since: now, appeared: now, isRunning: true, tail: [])
                )
                return entries.count - 1
            }()
        entries[index].step = step
        entries[index].detail = detail
        entries[index].since = now
        entries[index].isRunning = isRunning
        entries[index].tail = []
        return index
    }

    /// Collapses every line left (the run ended): one result line each, the `[all]` line dropped.
    package mutating func finish(at now: Double, style: TextStyle) -> [String] {
        defer {
            entries = []
            batchHeader = nil
        }
        return entries.flatMap { entry -> [String] in
            guard entry.key != nil else { return [] }
            let status =
                entry.isRunning
                ? style.yellow(entry.step.rawValue + " did not finish") : style.green(entry.step.rawValue + " ok")
            let result =
                entry.label + " " + status + (entry.detail.isEmpty ? "" : ": " + entry.detail)
                + Self.total(since: entry.appeared, at: now)
            let done = !entry.isRunning && entry.step == .activate
            return [result] + (done ? activationOutput(of: entry, style: style) : [])
        }
    }

    /// The line for an event that ends its target's run (or a failed step), removing its live line.
    private mutating func result(of event: DeployEvent, at now: Double, style: TextStyle) -> [String] {
        let removed = index(of: event.target).map { entries.remove(at: $0) }
        let message = Self.visible(event.message)
        let detail = message.isEmpty ? "" : ": " + message
        let total = removed.map { Self.total(since: $0.appeared, at: now) } ?? ""
        guard event.kind == .failed else {
            // A confirmed activation shows what it printed; a rollback's line does not repeat it.
            let output = event.step == .confirm ? removed.map { activationOutput(of: $0, style: style) } ?? [] : []
            return [event.label + " " + style.green(event.step.rawValue + " ok") + detail + total] + output
        }
        var lines = [event.label + " " + style.red(event.step.rawValue + " failed") + detail + total]
        lines += (removed?.tail ?? []).map { "    " + style.dim($0) }
        if offersShowLog, let target = event.target, event.step == .activate || event.step == .rollback {
            lines.append("    " + style.dim("full output: show-log \(target)"))
        }
        return lines
    }

    /// Keeps one line of a target's activation output: the last ``activationTailLimit`` lines,
    /// or all of them (up to ``activationLimit``) with ``showsAllOutput``.
    private mutating func keepActivationOutput(_ line: String, at index: Int) {
        entries[index].activation.append(Self.visible(line))
        entries[index].activationLineCount += 1
        let limit = showsAllOutput ? Self.activationLimit : activationTailLimit
        if entries[index].activation.count > limit { entries[index].activation.removeFirst() }
    }

    /// The lines under a done target's result line: what its activation printed (on NixOS,
    /// switch-to-configuration's units), dimmed, after a note counting the lines left out.
    private func activationOutput(of entry: Entry, style: TextStyle) -> [String] {
        let left = entry.activationLineCount - entry.activation.count
        guard left > 0 else { return entry.activation.map { "    " + style.dim($0) } }
        let lines = left == 1 ? "1 earlier line" : "\(left) earlier lines"
        let more =
            showsAllOutput
            ? "not kept"
            : (offersShowLog ? "show-log " + DisplayText.visible(entry.key ?? "") : "--show-output shows all")
        return ["    " + style.dim("(\(lines): \(more))")] + entry.activation.map { "    " + style.dim($0) }
    }

    /// Removes the `[all]` line of `step`: the shared build ended for the targets.
    ///
    /// - Returns: the removed line, whose output a failure shows.
    @discardableResult
    private mutating func endShared(_ step: DeployStep) -> Entry? {
        guard let index = entries.firstIndex(where: { $0.key == nil && $0.step == step }) else { return nil }
        return entries.remove(at: index)
    }

    private func index(of key: String?) -> Int? {
        entries.firstIndex { $0.key == key }
    }

    // MARK: - Drawing

    /// The block at `now`: one line per entry, each at most `width - 1` cells (so the terminal
    /// never wraps it and the cursor can go back over the block exactly).
    package func lines(at now: Double, width: Int, style: TextStyle) -> [String] {
        let columns = max(width, 20) - 1
        var shown = entries
        var hidden = 0
        if shown.count > maxLines {
            hidden = shown.count - (maxLines - 1)
            shown = Array(shown.prefix(maxLines - 1))
        }
        var lines = shown.map { line(for: $0, at: now, columns: columns, style: style) }
        if hidden > 0 {
            lines.append(Self.fit([("  ... and \(hidden) more", .dim)], columns: columns, style: style))
        }
        if let batchHeader, !lines.isEmpty {
            lines.insert(Self.fit([(batchHeader, .bold)], columns: columns, style: style), at: 0)
        }
        return lines
    }

    private func line(for entry: Entry, at now: Double, columns: Int, style: TextStyle) -> String {
        let after = entry.tail.last ?? entry.detail
        let rest: Segment = (after.isEmpty ? "" : "  " + after, .dim)
        guard entry.isRunning else {
            return Self.fit(
                [("  " + entry.label + " ", .plain), (entry.step.rawValue + " ok", .green), rest],
                columns: columns,
                style: style
            )
        }
        return Self.fit(
            [
                (Self.spinner(at: now) + " " + entry.label + " ", .plain), (entry.step.rawValue, .bold),
                (" " + Self.elapsed(since: entry.since, at: now), .plain), rest,
            ],
            columns: columns,
            style: style
        )
    }

    /// The spinner's frame at `now`: it turns eight times a second.
    package static func spinner(at now: Double) -> String {
        let frames = ["-", "\\", "|", "/"]
        let tick = Int((max(0, now) * 8).rounded(.down))
        return frames[tick % frames.count]
    }

    /// Whole seconds from `since` to `now`: `3 s`.
    package static func elapsed(since: Double, at now: Double) -> String {
        "\(Int(max(0, now - since).rounded(.down))) s"
    }

    /// ` (3 s)` after a result line.
    static func total(since: Double, at now: Double) -> String {
        " (" + elapsed(since: since, at: now) + ")"
    }

    /// Text from outside on one line: control characters visible, tabs and line breaks as blanks.
    static func visible(_ text: String) -> String {
        DisplayText.visible(text).replacing("\t", with: " ").replacing("\n", with: " ")
    }

    // MARK: - Fitting

    /// How a piece of a line is painted.
    enum Paint { case plain, bold, dim, green }
    typealias Segment = (text: String, paint: Paint)

    /// The segments, painted, cut so that their visible text takes at most `columns` terminal
    /// cells (a wide character takes two, a combining mark none: see ``TerminalCells``).
    static func fit(_ segments: [Segment], columns: Int, style: TextStyle) -> String {
        var left = columns
        var line = ""
        for segment in segments where left > 0 && !segment.text.isEmpty {
            let (text, cells) = TerminalCells.prefix(segment.text, cells: left)
            left -= cells
            switch segment.paint {
            case .plain: line += text
            case .bold: line += style.bold(text)
            case .dim: line += style.dim(text)
            case .green: line += style.green(text)
            }
        }
        return line
    }
}

extension DeployEvent {
    /// `[web1.system]`, `[web1]` (exec) or `[all]`, with control characters visible.
    var label: String { "[" + DisplayText.visible(target ?? "all") + "]" }
}
