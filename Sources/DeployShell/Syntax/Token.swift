/// One unit the lexer hands to the parser: a word or a statement separator.
///
/// Separators are tokens of their own, not dropped whitespace, so the parser can group words into statements
/// without knowing anything about quoting, escapes or comments.
package enum Token: Hashable, Sendable {
    /// A word, with its quotes and escapes already resolved.
    case word(Word)
    /// An unquoted `;`, which ends the statement before it.
    case semicolon(SourceLocation)
    /// A line break (`\n` or `\r\n`) that is not quoted or escaped, which ends the statement before it.
    case newline(SourceLocation)

    /// Where the token starts.
    package var location: SourceLocation {
        switch self {
        case .word(let word): word.location
        case .semicolon(let location), .newline(let location): location
        }
    }
}
