import Foundation
import Testing

/// Compares a text with a golden file checked into the repository, or rewrites the file on purpose.
///
/// It exists for whole-script transcripts (swift-argument-parser's snapshot tests): a change of
/// output shows in review as a diff of the golden file. Files are rewritten only when the
/// environment says `UPDATE_SNAPSHOTS=1`; the test then still fails, so that an update never
/// passes unseen.
package enum Snapshot {
    /// Whether this run rewrites golden files (`UPDATE_SNAPSHOTS=1`).
    package static var isUpdating: Bool {
        ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"
    }

    /// Records an issue unless `actual` equals the contents of `path`; with ``isUpdating``,
    /// writes `actual` to `path` instead (and records that it did).
    package static func assert(
        _ actual: String,
        matches path: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        if isUpdating {
            do {
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
                Issue.record("updated \(path); run again without UPDATE_SNAPSHOTS", sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot write \(path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record(
                "no golden file \(path); run with UPDATE_SNAPSHOTS=1 to write it",
                sourceLocation: sourceLocation
            )
            return
        }
        #expect(
            actual == expected,
            "\(path) differs at line \(firstDifference(actual, expected)); run with UPDATE_SNAPSHOTS=1 to rewrite it",
            sourceLocation: sourceLocation
        )
    }

    /// The 1-based number of the first line where `a` and `b` differ.
    static func firstDifference(_ a: String, _ b: String) -> Int {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        let same = zip(left, right).prefix { $0 == $1 }.count
        return same + 1
    }
}
