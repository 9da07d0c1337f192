/// One argument of a statement, after quotes and escapes are resolved.
///
/// Commands receive words rather than raw text so quoting is decided once, in the lexer, and every
/// argument still knows where it was typed: a command can point an error at `deploy.dsh:3:12` for a bad
/// node name without re-reading the script.
package struct Word: Hashable, Sendable {
    /// The text with quotes removed and escapes applied: `a'b c'"d"` becomes `ab cd`.
    package var text: String
    /// Where the word starts, including an opening quote.
    package var location: SourceLocation
    /// Whether any part of the word was quoted or escaped with a backslash.
    ///
    /// Lets later stages tell `'*'` (a literal star) from `*` (a pattern) and `"--json"` from `--json`
    /// if they need to.
    package var isQuoted: Bool

    package init(text: String, location: SourceLocation, isQuoted: Bool = false) {
        self.text = text
        self.location = location
        self.isQuoted = isQuoted
    }
}
