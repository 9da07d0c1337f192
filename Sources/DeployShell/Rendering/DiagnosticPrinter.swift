import ArgumentParser
import DeployKit

/// Formats errors for people: `FILE:LINE:COL: error: MESSAGE`, details, then `hint: ...`.
///
/// Any error can arrive here; those that are not ``UserFacingError`` are described as
/// well as possible rather than crashing or printing a Swift dump.
package enum DiagnosticPrinter {
    package struct Described: Sendable {
        package var message: String
        package var hint: String?
        package var details: [String]
    }

    /// The error's message, details and the hint for `face` (see ``Face``).
    package static func describe(_ error: any Error, face: Face = .shell) -> Described {
        if let error = error as? any UserFacingError {
            return Described(message: error.message, hint: error.hint(in: face), details: error.details)
        }
        if error is CancellationError {
            return Described(message: "cancelled", hint: nil, details: [])
        }
        return Described(message: String(describing: error), hint: nil, details: [])
    }

    package static func text(
        _ error: any Error,
        location: SourceLocation?,
        style: TextStyle,
        face: Face = .shell
    ) -> String {
        let described = describe(error, face: face)
        let prefix = location.map { "\($0): " } ?? ""
        // Messages and details can carry remote stderr: control characters are shown, not interpreted.
        var lines = [prefix + style.red(style.bold("error:")) + " " + DisplayText.visible(described.message)]
        lines += described.details.map { "    " + DisplayText.visible($0) }
        if let hint = described.hint { lines.append(style.bold("hint:") + " " + DisplayText.visible(hint)) }
        return lines.joined(separator: "\n")
    }
}
