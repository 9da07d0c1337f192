import DeployKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Renders reports, events and errors as single-line JSON objects for `--json`.
///
/// Keys are sorted so output is stable for tests and diffs.
package enum JSONRenderer {
    package static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return #"{"error":{"message":"internal error: cannot encode a result as JSON"}}"#
        }
        return text
    }

    /// A result: the report's object plus `"command"` and, in a script, `"location":"FILE:LINE:COL"`.
    ///
    /// A report that does not encode as an object (none does today) is printed without them.
    package static func line(_ report: any Report, origin: ResultOrigin.Origin?) -> String {
        guard let origin else { return line(report) }
        let located = line(LocatedReport(report: report, origin: origin))
        return located.hasPrefix("{") ? located : line(report)
    }

    package static func pretty(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return "null"
        }
        return text
    }

    /// `{"error":{"message":..,"hint":..,"details":[..],"location":{..}},"command":..}`; `command`
    /// names the command that failed, when one was running.
    package static func error(
        _ error: any Error,
        location: SourceLocation?,
        command: String? = nil,
        face: Face = .shell
    ) -> String {
        let described = DiagnosticPrinter.describe(error, face: face)
        return line(
            ErrorEnvelope(
                command: command,
                error: .init(
                    message: described.message,
                    hint: described.hint,
                    details: described.details.isEmpty ? nil : described.details,
                    location: location
                )
            )
        )
    }

    private struct ErrorEnvelope: Encodable {
        var command: String?
        struct Body: Encodable {
            var message: String
            var hint: String?
            var details: [String]?
            var location: SourceLocation?
        }
        var error: Body
    }
}
