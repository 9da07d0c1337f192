/// Shortens one line of activation output for display, so a megabyte on one line stays readable.
///
/// The runner passes lines of any length (nothing is cut while streaming); only what is shown to
/// a person is shortened, with a marker that says how much was left out.
package enum OutputLine {
    /// The longest line shown as it is, in characters.
    package static let displayLimit = 4096

    /// `line`, or its first ``displayLimit`` characters and a marker.
    package static func shortened(_ line: String, limit: Int = displayLimit) -> String {
        guard line.utf8.count > limit else { return line }
        let kept = line.prefix(limit)
        return kept + " … [line shortened: \(line.utf8.count - kept.utf8.count) more bytes]"
    }
}
