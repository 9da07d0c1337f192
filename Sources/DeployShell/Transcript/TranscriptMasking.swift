import DeployKit

/// Hides secrets in what a transcript records, by the rule the screen uses (``SSHSecrets``).
///
/// Command lines and argv carry ssh options (`set sshOpts "-o SetEnv=TOKEN=abc"`, the
/// one-shot `--ssh-opts`): in the value of every `-o` option, each `NAME=VALUE` word is
/// recorded as `NAME=***`. The text is masked in place (quotes, `;` and spacing kept), so a
/// command line stays a command line: `sessions script` replays it with `***` instead of the
/// secret, which a person must put back.
package enum TranscriptMasking {
    /// `text` with the value of every `-o` option masked.
    package static func masked(_ text: String) -> String {
        guard text.contains("-o") else { return text }
        var words: [String] = []
        // 0: not in an option; 1: the word after `-o` (`Name=VALUE...`); 2: later words of its value.
        var position = 0
        for piece in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(piece)
            if position == 1 {
                word = maskedOption(word)
                position = ends(word) ? 0 : 2
            } else if position == 2, word.contains("=") {
                word = maskedAssignment(word)
                if ends(word) { position = 0 }
            } else if let start = optionStart(in: word) {
                let rest = String(word[start...])
                if rest.isEmpty || rest.allSatisfy({ "\"'".contains($0) }) {
                    position = 1
                } else {
                    word = String(word[..<start]) + maskedOption(rest)
                    position = ends(word) ? 0 : 2
                }
            } else {
                position = 0
            }
            words.append(word)
        }
        return words.joined(separator: " ")
    }

    /// Each argument masked (argv of the executable).
    package static func masked(_ words: [String]) -> [String] { words.map { masked($0) } }

    /// Where the text after a leading `-o` starts (only quotes or `=` may come before it).
    private static func optionStart(in word: String) -> String.Index? {
        let prefix = word.prefix { "\"'=".contains($0) }
        let rest = word[prefix.endIndex...]
        guard rest.hasPrefix("-o") else { return nil }
        return word.index(prefix.endIndex, offsetBy: 2)
    }

    /// `Name=A=B` -> `Name=A=***`: the option's name is kept, assignments in its value masked.
    private static func maskedOption(_ word: String) -> String {
        guard let equals = word.firstIndex(of: "=") else { return word }
        let value = String(word[word.index(after: equals)...])
        guard value.contains("=") else { return word }
        return String(word[...equals]) + maskedAssignment(value)
    }

    /// `A=secret";` -> `A=***";`: the value up to a closing quote or `;` is masked.
    private static func maskedAssignment(_ word: String) -> String {
        guard let equals = word.firstIndex(of: "=") else { return word }
        let value = word[word.index(after: equals)...]
        let end = value.firstIndex { "\"';".contains($0) } ?? value.endIndex
        return String(word[...equals]) + SSHSecrets.mask + String(value[end...])
    }

    /// Whether a masked word closes the option's value (a quote or `;` at its end).
    private static func ends(_ word: String) -> Bool {
        guard let last = word.last else { return true }
        return "\"';".contains(last)
    }
}
