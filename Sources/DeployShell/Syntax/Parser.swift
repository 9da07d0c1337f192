/// Groups the lexer's words into statements, one per line or per `;`.
///
/// The single entry point scripts, `-c` and the REPL use to turn text into commands, so all three agree on
/// quoting, continuation and comments. Empty statements (blank lines, comment lines, `;;`) are dropped.
package enum Parser {
    /// Parses a script or command line into statements.
    ///
    /// - Parameters:
    ///   - source: The text to parse; `\n` and `\r\n` line breaks are both accepted.
    ///   - file: The name used in locations, for example `deploy.dsh` or `<command line>`.
    /// - Throws: `SyntaxError` for an unterminated quote or a backslash at the end of the input.
    package static func parse(_ source: String, file: String) throws(SyntaxError) -> [Statement] {
        var statements: [Statement] = []
        var words: [Word] = []
        for token in try Lexer.tokenize(source, file: file) {
            switch token {
            case .word(let word):
                words.append(word)
            case .semicolon, .newline:
                if let first = words.first {
                    statements.append(Statement(words: words, location: first.location))
                }
                words.removeAll(keepingCapacity: true)
            }
        }
        if let first = words.first {
            statements.append(Statement(words: words, location: first.location))
        }
        return statements
    }

    /// Whether the text stops in the middle of a statement, so an interactive shell should read another line.
    ///
    /// True when the text ends inside an open single or double quote, or ends with a backslash that continues
    /// the line (with or without the final line break after it). Pass the lines read so far joined with `\n`.
    package static func needsContinuation(_ source: String) -> Bool {
        Lexer.needsContinuation(source)
    }
}
