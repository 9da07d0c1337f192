import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs statements from any ``LineSource`` against one session; the REPL, scripts, `-c` and
/// standard input all come through here.
///
/// A script stops at its first failing command (unless `keepGoing`); an interactive source
/// reports the error and reads on.
@MainActor
package struct Interpreter {
    package let session: Session
    /// Told when a command starts and ends, so Ctrl-C can cancel just that command.
    package var onCommandStart: (@MainActor (_ task: Task<any Report, any Error>) -> Void)?
    package var onCommandEnd: (@MainActor () -> Void)?
    /// Whether to stop before the next statement (SIGTERM or SIGHUP arrived).
    package var shouldStop: (@MainActor () -> Bool)?

    package init(session: Session) {
        self.session = session
    }

    /// How a run of statements ended, mapped to an exit status by the executable.
    package enum Outcome: Equatable, Sendable {
        case success
        case failed
        case interrupted

        package var exitStatus: Int32 {
            switch self {
            case .success: 0
            case .failed: 1
            case .interrupted: 130
            }
        }
    }

    /// Reads and runs statements until the source ends, `quit`, or (non-interactive) a failure.
    package func run(_ source: inout some LineSource, interactive: Bool, keepGoing: Bool = false) async -> Outcome {
        var anyFailed = false
        while !session.wantsToQuit, !(shouldStop?() ?? false) {
            let chunk: (text: String, first: SourceLine)
            do {
                guard let read = try await readStatementText(from: &source) else {
                    // Ctrl-D with activations waiting: say so once, and leave on the next one.
                    // Ctrl-D with a paused rollout: the same, naming it.
                    if interactive, !session.wasWarnedAboutLeaving {
                        let warnings = [
                            session.pendingWarning().map { $0 + ". Press Ctrl-D again to leave anyway." },
                            session.pausedWarning(.endOfInput),
                        ].compactMap { $0 }
                        if !warnings.isEmpty {
                            session.wasWarnedAboutLeaving = true
                            for warning in warnings { session.console.warn(warning) }
                            continue
                        }
                    }
                    break
                }
                chunk = read
            } catch is LineInterrupted {
                continue
            } catch {
                session.console.show(error, location: nil)
                return .failed
            }
            let statements: [Statement]
            do {
                statements = try Parser.parse(chunk.text, file: chunk.first.file).map {
                    $0.shifted(byLines: chunk.first.line - 1)
                }
            } catch {
                var located = error
                located.location.line += chunk.first.line - 1
                session.console.show(located, location: interactive ? nil : located.location)
                session.recordError(located, location: located.location)
                if interactive { continue }
                anyFailed = true
                if keepGoing { continue }
                return .failed
            }
            if interactive, !chunk.text.trimmingSpaces.isEmpty {
                source.remember(chunk.text)
                session.history.append(chunk.text)
            }
            if let first = statements.first {
                session.recordCommand(chunk.text, location: first.location)
            }
            for statement in statements {
                let outcome = await runOne(statement, interactive: interactive)
                session.recordDone(outcome)
                switch outcome {
                case .success: break
                case .interrupted where !interactive: return .interrupted
                case .interrupted: break
                case .failed:
                    anyFailed = true
                    if !interactive && !keepGoing { return .failed }
                }
                if session.wantsToQuit || (shouldStop?() ?? false) { break }
            }
        }
        return anyFailed ? .failed : .success
    }

    /// Runs one statement, printing its report or error.
    ///
    /// A statement that starts with the word `!` expects its command to fail (as in sh):
    /// the failure is shown and the script goes on; a success stops it.
    package func runOne(_ statement: Statement, interactive: Bool) async -> Outcome {
        if let first = statement.words.first, first.text == "!", !first.isQuoted, statement.words.count > 1 {
            var inner = statement
            inner.words.removeFirst()
            inner.location = inner.words[0].location
            switch await runOne(inner, interactive: interactive) {
            case .failed:
                session.console.show(MessageReport("(failed as expected)"))
                return .success
            case .interrupted: return .interrupted
            case .success:
                session.console.show(
                    ExpectedFailure(command: inner.words[0].text),
                    location: interactive ? nil : statement.location
                )
                return .failed
            }
        }
        if let first = statement.words.first, first.text == "time", !first.isQuoted, statement.words.count > 1 {
            var inner = statement
            inner.words.removeFirst()
            inner.location = inner.words[0].location
            let started = ContinuousClock.now
            let outcome = await runOne(inner, interactive: interactive)
            let elapsed = (ContinuousClock.now - started).seconds * 1000
            session.console.note("time: \(inner.words[0].text) took \(DecimalText.fixed(elapsed, digits: 1)) ms")
            return outcome
        }
        let location = interactive ? nil : statement.location
        let typed = statement.words.first?.text ?? ""
        let command = (try? CommandTable.command(named: typed))?.name ?? typed
        let origin = ResultOrigin.Origin(command: command, location: location)
        return await session.console.origin.with(origin) { await runCommand(statement, location: location) }
    }

    /// Runs one command statement in its own task (Ctrl-C cancels it), printing its report or error.
    private func runCommand(_ statement: Statement, location: SourceLocation?) async -> Outcome {
        let task = Task { @MainActor in try await execute(statement) }
        onCommandStart?(task)
        defer { onCommandEnd?() }
        do {
            let report = try await task.value
            session.console.show(report)
            guard report.isFailure else { return .success }
            // Every failing command of a script says so at its location, whether it threw or
            // returned a failed report (`exec`, `check`, `confirm`...): the decision is made here, once.
            if let location {
                let command = statement.words.first?.text ?? ""
                session.console.show(
                    CommandFailed(command: command, summary: report.failureMessage),
                    location: location
                )
            }
            return .failed
        } catch {
            let cause = session.console.showFailure(error, location: location)
            session.recordError(cause, location: statement.location)
            if task.isCancelled || cause is CancellationError { return .interrupted }
            return .failed
        }
    }

    /// Looks up, parses and runs one statement.
    package func execute(_ statement: Statement) async throws -> any Report {
        guard let first = statement.words.first else { return MessageReport("") }
        let type = try CommandTable.command(named: first.text)
        switch try CommandTable.parse(type, arguments: statement.words.dropFirst().map(\.text)) {
        case .help(let report):
            return report
        case .command(let parsed):
            guard var command = parsed as? any ShellCommand else {
                throw InternalError("command '\(first.text)' parsed to an unexpected type")
            }
            let report = try await command.run(in: session)
            try Task.checkCancellation()
            return report
        }
    }

    /// Reads lines until they form complete statements (quotes closed, no trailing `\`).
    private func readStatementText(
        from source: inout some LineSource
    ) async throws -> (text: String, first: SourceLine)? {
        guard let first = try await source.nextLine(prompt: session.prompt) else { return nil }
        var text = first.text
        var lines = 0
        while Parser.needsContinuation(text), lines < 10_000 {
            guard let next = try await source.nextLine(prompt: "...> ") else { break }
            text += "\n" + next.text
            lines += 1
        }
        return (text, first)
    }
}

/// A `! COMMAND` statement whose command succeeded.
struct ExpectedFailure: UserFacingError {
    var command: String

    var message: String { "'\(command)' succeeded, but '!' expected it to fail" }
}

extension Statement {
    /// The same statement with every location moved down by `lines` (for multi-line input).
    func shifted(byLines lines: Int) -> Statement {
        guard lines != 0 else { return self }
        var copy = self
        copy.location.line += lines
        copy.words = words.map { word in
            var word = word
            word.location.line += lines
            return word
        }
        return copy
    }
}
