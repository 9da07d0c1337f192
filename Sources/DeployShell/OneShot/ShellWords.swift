/// Splits one option string into words the way a POSIX shell would (`--ssh-opts "-o 'A B' -p 22"`).
///
/// deploy-rs users pass all ssh options in one string; an option whose value has a blank
/// needs quotes inside it. Blanks separate words; single quotes keep everything; double
/// quotes keep everything but `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes keeps
/// the next character. Nothing is expanded (no `$VAR`, no globs).
package enum ShellWords {
    /// Why a string could not be split.
    package enum Problem: Error, Equatable {
        case unterminatedQuote(Character)
        case trailingBackslash
    }

    /// The words of `text`.
    package static func split(_ text: String) throws(Problem) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            switch (quote, character) {
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("'", _):
                word.append(character)
            case ("\"", "\\"):
                guard let next = iterator.next() else { throw .unterminatedQuote("\"") }
                if !["\"", "\\", "$", "`"].contains(next) { word.append("\\") }
                word.append(next)
            case ("\"", _):
                word.append(character)
            case (_, "'"), (_, "\""):
                quote = character
                inWord = true
            case (_, "\\"):
                guard let next = iterator.next() else { throw .trailingBackslash }
                word.append(next)
                inWord = true
            case (_, " "), (_, "\t"), (_, "\n"):
                if inWord { words.append(word) }
                word = ""
                inWord = false
            default:
                word.append(character)
                inWord = true
            }
        }
        if let quote { throw .unterminatedQuote(quote) }
        if inWord { words.append(word) }
        return words
    }
}
