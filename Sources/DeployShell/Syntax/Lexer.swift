/// Turns the text of a script or command line into words and separators, with the location of each.
///
/// Hand-written so every word keeps the line and column where it starts and errors can point at the exact
/// opening quote. The rules are a small subset of the POSIX shell's, so quoting habits carry over:
/// - blanks (space, tab) separate words; an unquoted `;` or line break ends a statement;
/// - single quotes keep everything literally; double quotes allow the escapes `\"`, `\\`, `\$`, `` \` ``
///   and backslash-newline, and keep any other backslash;
/// - outside quotes a backslash escapes the next character, and backslash-newline joins two lines;
/// - `#` starts a comment only at the start of a word, so `a#b` is one word;
/// - quoted and unquoted parts next to each other form one word: `a'b c'"d"` is `ab cd`.
///
/// Columns count Unicode scalars, as `SourceLocation` documents. A `\r\n` line break counts as one break.
package struct Lexer {
    private static let quoteHint = "Close the quote, or escape it with a backslash."
    private static let backslashHint = "Remove the backslash, or put the rest of the command on the next line."
    /// The characters a backslash escapes inside double quotes; before others it stays literal.
    private static let doubleQuoteEscapes: Set<Unicode.Scalar> = ["\"", "\\", "$", "`"]

    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    private var tokens: [Token] = []
    /// Whether the last thing consumed was a backslash-newline continuation.
    private var endsWithContinuation = false
    /// Whether lexing stopped because the input ended in the middle of a quote or escape.
    private var stoppedInsideStatement = false

    private init(_ source: String, file: String) {
        self.scalars = Array(source.unicodeScalars)
        self.file = file
    }

    /// Splits the source into tokens.
    ///
    /// - Parameters:
    ///   - source: The text to split; `\n` and `\r\n` line breaks are both accepted.
    ///   - file: The name used in locations.
    /// - Throws: `SyntaxError` for an unterminated quote (located at the opening quote) or a backslash at the
    ///   end of the input (located at the backslash).
    package static func tokenize(_ source: String, file: String) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source, file: file)
        try lexer.lexAll()
        return lexer.tokens
    }

    /// Whether the source ends inside an open quote or with a line continuation; see `Parser.needsContinuation`.
    static func needsContinuation(_ source: String) -> Bool {
        var lexer = Lexer(source, file: "")
        do {
            try lexer.lexAll()
            return lexer.endsWithContinuation
        } catch {
            return lexer.stoppedInsideStatement
        }
    }

    // MARK: - Statements and words

    private mutating func lexAll() throws(SyntaxError) {
        while let scalar = peek() {
            switch scalar {
            case " ", "\t":
                advance()
            case ";":
                tokens.append(.semicolon(location))
                advance()
            case "#":
                skipComment()
            case "\\" where lineBreakLength(at: index + 1) != nil:
                advance()
                consumeContinuation()
            default:
                let start = location
                if consumeLineBreak() {
                    tokens.append(.newline(start))
                } else {
                    try lexWord()
                }
            }
        }
    }

    private mutating func skipComment() {
        while peek() != nil, lineBreakLength(at: index) == nil {
            advance()
        }
    }

    private mutating func lexWord() throws(SyntaxError) {
        let start = location
        var text = String.UnicodeScalarView()
        var isQuoted = false
        while let scalar = peek(), !isWordEnd(scalar) {
            switch scalar {
            case "'":
                isQuoted = true
                try lexSingleQuoted(into: &text)
            case "\"":
                isQuoted = true
                try lexDoubleQuoted(into: &text)
            case "\\":
                let backslash = location
                advance()
                if lineBreakLength(at: index) != nil {
                    consumeContinuation()
                } else if let escaped = peek() {
                    isQuoted = true
                    text.append(escaped)
                    advance()
                } else {
                    throw incomplete("backslash at end of input", at: backslash, hint: Self.backslashHint)
                }
            default:
                text.append(scalar)
                advance()
            }
        }
        tokens.append(.word(Word(text: String(text), location: start, isQuoted: isQuoted)))
    }

    private func isWordEnd(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == ";" || lineBreakLength(at: index) != nil
    }

    // MARK: - Quotes

    private mutating func lexSingleQuoted(into text: inout String.UnicodeScalarView) throws(SyntaxError) {
        let open = location
        advance()
        while let scalar = peek() {
            if scalar == "'" {
                advance()
                return
            }
            if consumeLineBreak() {
                text.append("\n")
            } else {
                text.append(scalar)
                advance()
            }
        }
        throw incomplete("unterminated single quote", at: open, hint: Self.quoteHint)
    }

    private mutating func lexDoubleQuoted(into text: inout String.UnicodeScalarView) throws(SyntaxError) {
        let open = location
        advance()
        while let scalar = peek() {
            switch scalar {
            case "\"":
                advance()
                return
            case "\\":
                advance()
                if lineBreakLength(at: index) != nil {
                    consumeContinuation()
                } else if let escaped = peek() {
                    if !Self.doubleQuoteEscapes.contains(escaped) {
                        text.append("\\")
                    }
                    text.append(escaped)
                    advance()
                }
            default:
                if consumeLineBreak() {
                    text.append("\n")
                } else {
                    text.append(scalar)
                    advance()
                }
            }
        }
        throw incomplete("unterminated double quote", at: open, hint: Self.quoteHint)
    }

    // MARK: - Cursor

    private var location: SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private func peek() -> Unicode.Scalar? {
        index < scalars.count ? scalars[index] : nil
    }

    /// The number of scalars in the line break at `position` (1 for `\n`, 2 for `\r\n`), or `nil` if none.
    private func lineBreakLength(at position: Int) -> Int? {
        guard position < scalars.count else { return nil }
        if scalars[position] == "\n" { return 1 }
        if scalars[position] == "\r", position + 1 < scalars.count, scalars[position + 1] == "\n" { return 2 }
        return nil
    }

    /// Consumes one scalar that is not part of a line break.
    private mutating func advance() {
        index += 1
        column += 1
        endsWithContinuation = false
    }

    /// Consumes a line break if there is one at the cursor, and moves to the next line.
    private mutating func consumeLineBreak() -> Bool {
        guard let length = lineBreakLength(at: index) else { return false }
        index += length
        line += 1
        column = 1
        endsWithContinuation = false
        return true
    }

    /// Consumes the line break after a continuation backslash, which joins the two lines.
    private mutating func consumeContinuation() {
        _ = consumeLineBreak()
        endsWithContinuation = true
    }

    private mutating func incomplete(_ message: String, at location: SourceLocation, hint: String) -> SyntaxError {
        stoppedInsideStatement = true
        return SyntaxError(message, at: location, hint: hint)
    }
}
