/// The one quoting function for everything that reaches a POSIX shell on a remote host.
///
/// ssh joins its remote arguments with spaces and hands the result to the remote login
/// shell, so every word must be quoted exactly once, here.
package enum RemoteShell {
    /// Quotes `word` with POSIX single quotes, writing `'` as `'\''`; safe for any input.
    package static func quote(_ word: String) -> String {
        "'" + word.replacing("'", with: #"'\''"#) + "'"
    }

    /// Quotes a whole argv into one remote command line.
    package static func command(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// Quotes `word` only when a shell would otherwise change it; for display.
    package static func quoteIfNeeded(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                || "-_./:=@%+,".unicodeScalars.contains(scalar)
        }
        return plain && !word.isEmpty ? word : quote(word)
    }
}
