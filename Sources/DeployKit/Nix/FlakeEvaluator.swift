/// Evaluates a flake's `deploy` output with `nix eval --json`, and explains failures.
///
/// This is where deploysh learns anything about a flake; it never builds anything, and
/// it reads only what the `--apply` expression it is given asks for.
package struct FlakeEvaluator: Sendable {
    package var runner: any CommandRunner
    package var nix: NixCommand

    package init(runner: any CommandRunner, nix: NixCommand) {
        self.runner = runner
        self.nix = nix
    }

    /// Runs `nix eval --json FLAKE#ATTRIBUTE --apply APPLY` and decodes the JSON it prints.
    ///
    /// `impure` adds `--impure`, for an `APPLY` that reads a file outside the flake.
    ///
    /// - Throws: ``CommandFailure`` when nix exits non-zero (with a hint chosen from its
    ///   stderr), ``NixError/invalidJSON`` when its output is not JSON.
    package func evaluate(
        flake: String,
        attribute: String = "deploy",
        apply: String?,
        impure: Bool = false
    ) async throws -> Evaluation {
        let (value, duration) = try await evaluate(flake: flake, attribute: attribute, apply: apply, impure: impure) {
            try await Self.readWhenComplete($0) { try JSONParser.parse($0) }
        }
        return Evaluation(value: value, duration: duration)
    }

    /// Reads JSON pieces as they arrive and runs `parse` as soon as the top-level value has
    /// closed, while Nix is still exiting (it takes milliseconds to, after its last byte); at
    /// the end, what was parsed counts only if nothing but blanks followed, else all is parsed.
    static func readWhenComplete<Value>(
        _ pieces: AsyncStream<[UInt8]>,
        parse: ([UInt8]) throws -> Value
    ) async throws -> Value {
        var received = pieces.makeAsyncIterator()
        var bytes: [UInt8] = []
        var completion = JSONCompletion()
        while completion.end == nil, let piece = await received.next() {
            bytes += piece
            bytes.withUnsafeBufferPointer { completion.scan($0) }
        }
        return try await JSONCompletion.readEarly(bytes, isComplete: completion.end != nil, rest: &received) {
            try parse($0)
        }
    }

    /// Runs `nix eval` as `evaluate(flake:attribute:apply:impure:)` does while `read` reads its
    /// JSON text, piece by piece as Nix prints it (`load` reads a fleet into its configuration
    /// meanwhile, see `LoadReading`). What `read` returns counts only if Nix succeeds.
    ///
    /// - Throws: as `evaluate`; a `JSONParser.ParseError` from `read` becomes
    ///   ``NixError/invalidJSON``, any other error of `read` is thrown as it is.
    package func evaluate<Value>(
        flake: String,
        attribute: String = "deploy",
        apply: String?,
        impure: Bool = false,
        streaming read: @escaping @Sendable (AsyncStream<[UInt8]>) async throws -> Value
    ) async throws -> (value: Value, duration: Duration) where Value: Sendable {
        let invocation = nix.eval(flake: flake, attribute: attribute, apply: apply, impure: impure)
        let (pieces, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        return try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask { try await read(pieces) }
            let result: CommandResult
            do {
                result = try await runner.run(invocation, onStandardErrorLine: nil) { continuation.yield($0) }
                continuation.finish()
                try Task.checkCancellation()
                guard result.succeeded else { throw Self.failure(result, flake: flake, attribute: attribute) }
            } catch {
                continuation.finish()
                group.cancelAll()
                throw error
            }
            do {
                guard let value = try await group.next() else { throw CancellationError() }
                return (value, result.duration)
            } catch is JSONParser.ParseError {
                throw NixError.invalidJSON(flake: flake, invocation: invocation)
            }
        }
    }

    /// Turns a failed `nix eval` into an error that says what to check next.
    package static func failure(_ result: CommandResult, flake: String, attribute: String) -> CommandFailure {
        var result = result
        result.invocation.display = briefCommandLine(result.invocation)
        let stderr = result.standardErrorTail.joined(separator: "\n")
        let summary = "nix eval failed for flake '\(flake)'"
        if result.status == .cancelled {
            return CommandFailure(
                result,
                summary: summary,
                hint: "The evaluation was cancelled; run the command again."
            )
        }
        if stderr.contains("does not provide attribute") || stderr.contains("attribute '\(attribute)' missing") {
            return CommandFailure(
                result,
                summary: "flake '\(flake)' has no '\(attribute)' output",
                hint: "Check that the flake defines `\(attribute)`: `nix flake show \(flake)`."
            )
        }
        if stderr.contains("does not exist") || stderr.contains("No such file or directory")
            || stderr.contains("cannot find flake") || stderr.contains("getting status of")
        {
            return CommandFailure(
                result,
                summary: "cannot read flake '\(flake)'",
                hint:
                    "Check the flake reference (a directory with flake.nix, or `path:/abs/dir`); "
                    + "inside a git repository, `git add` new files first."
            )
        }
        return CommandFailure(
            result,
            summary: summary,
            hint: "Fix the Nix error shown above, then run `load \(RemoteShell.quoteIfNeeded(flake))` again."
        )
    }
}

extension FlakeEvaluator {
    /// The command line to show with a failure: deploysh's own multi-line `--apply` expression
    /// is left out (it would bury Nix's error under it); `load --show-expression` prints it.
    static func briefCommandLine(_ invocation: Invocation) -> String? {
        guard let index = invocation.arguments.firstIndex(of: "--apply"),
            index + 1 < invocation.arguments.count,
            invocation.arguments[index + 1].contains("\n")
        else { return nil }
        let isLoads = invocation.arguments[index + 1] == LoadExpression.applyFunction
        var brief = invocation
        brief.arguments[index + 1] = "EXPR"
        return brief.commandLine
            + (isLoads
                ? "  (EXPR: deploysh's expression; `load --show-expression` prints it)"
                : "  (EXPR: deploysh's expression, left out)")
    }
}

/// The decoded result of one `nix eval --json`, and how long Nix took.
package struct Evaluation: Sendable, Hashable {
    package var value: JSONValue
    package var duration: Duration
}
