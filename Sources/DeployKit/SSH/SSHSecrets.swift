/// Hides the secrets that ssh options can carry before a command line or setting is shown.
///
/// People pass tokens to their hosts through `sshOpts` (`-o SetEnv=TOKEN=abc`), and those
/// options appear in failure details, `show`, `set` and `NIX_SSHOPTS`. In the value of every
/// `-o` option, each `NAME=VALUE` word shows as `NAME=***`: SetEnv's values are masked, while
/// option names, hosts, ports and files (`-p 2222`, `-i key`) stay readable.
package enum SSHSecrets {
    /// The mask shown instead of a secret.
    package static let mask = "***"

    /// `options` (an ssh argv or `sshOpts`) with the assigned values of every `-o` option masked.
    package static func masked(_ options: [String]) -> [String] {
        var result: [String] = []
        var nextIsOption = false
        for word in options {
            if nextIsOption {
                result.append(maskedOption(word))
                nextIsOption = false
            } else if word == "-o" {
                result.append(word)
                nextIsOption = true
            } else if word.hasPrefix("-o") {
                result.append("-o" + maskedOption(String(word.dropFirst(2))))
            } else {
                result.append(word)
            }
        }
        return result
    }

    /// One `-o` option (`Name=value` or `Name value`) with every `X=Y` word of its value masked.
    package static func maskedOption(_ option: String) -> String {
        guard let separator = option.firstIndex(where: { $0 == "=" || $0 == " " || $0 == "\t" }) else {
            return option
        }
        let name = option[..<separator]
        let value = option[option.index(after: separator)...]
        let words = value.split(separator: " ", omittingEmptySubsequences: false).map { word in
            guard let equals = word.firstIndex(of: "=") else { return String(word) }
            return String(word[...equals]) + mask
        }
        return name + String(option[separator]) + words.joined(separator: " ")
    }

    /// A `NIX_SSHOPTS` value (words quoted by `RemoteShell.quoteIfNeeded`) with secrets masked.
    package static func maskedOptionString(_ text: String) -> String {
        masked(splitWords(text)).map(RemoteShell.quoteIfNeeded).joined(separator: " ")
    }

    /// Splits `text` on blanks, honouring single quotes (with `'\''`), as a POSIX shell would.
    private static func splitWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        for character in text {
            if quoted {
                if character == "'" { quoted = false } else { current.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == "\\" {
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
