/// One line of input and where it came from, for error locations.
package struct SourceLine: Hashable, Sendable {
    package var text: String
    package var file: String
    package var line: Int

    package init(text: String, file: String, line: Int) {
        self.text = text
        self.file = file
        self.line = line
    }
}

/// Where the interpreter gets its commands: a terminal, a script, `-c`, standard input or a test.
///
/// The REPL's libedit source lives in the executable; everything else is here, so the
/// interpreter never knows whether a person is typing.
@MainActor
package protocol LineSource {
    /// The next line, or `nil` at the end of input (Ctrl-D).
    ///
    /// - Parameter prompt: What to show a person before reading; sources that are not
    ///   interactive ignore it.
    mutating func nextLine(prompt: String) async throws -> SourceLine?
    /// Records a complete command for history (interactive sources only).
    mutating func remember(_ command: String)
}

extension LineSource {
    package mutating func remember(_ command: String) {}
}

/// Lines from a string already in memory: a script file, `-c`, piped input, or a test.
package struct ScriptSource: LineSource {
    private var lines: [Substring]
    private var index = 0
    package let file: String

    package init(text: String, file: String) {
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { lines.removeLast() }
        self.file = file
    }

    package mutating func nextLine(prompt: String) async throws -> SourceLine? {
        guard index < lines.count else { return nil }
        defer { index += 1 }
        return SourceLine(text: String(lines[index]), file: file, line: index + 1)
    }
}

/// Thrown by an interactive ``LineSource`` when the person discards the line (Ctrl-C):
/// the interpreter drops any statement still waiting for its continuation and prompts again.
package struct LineInterrupted: Error, Sendable {
    package init() {}
}
