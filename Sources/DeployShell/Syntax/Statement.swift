/// One command to run: its words, in order, and where it starts.
///
/// The parser's output and the interpreter's input. Keeping the location of the statement (its first word)
/// lets an unknown command be reported at the exact column it was typed.
package struct Statement: Hashable, Sendable {
    /// The command name followed by its arguments; never empty for a parsed statement.
    package var words: [Word]
    /// Where the first word starts.
    package var location: SourceLocation

    package init(words: [Word], location: SourceLocation) {
        self.words = words
        self.location = location
    }
}
