/// The machine lines (`deploysh:KEY=VALUE`) the on-target activator printed, with its result.
///
/// Everything for people went to stderr, so parsing stdout cannot be confused by what an
/// activation script prints.
package struct ActivatorOutput: Sendable, Hashable {
    package var result: CommandResult
    package var fields: [(key: String, value: String)]

    package init(result: CommandResult) {
        self.result = result
        self.fields = result.standardOutput.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("deploysh:"), let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[line.index(line.startIndex, offsetBy: 9)..<equals]
            return (String(key), String(line[line.index(after: equals)...]))
        }
    }

    /// The last value printed for `key`.
    package subscript(key: String) -> String? {
        fields.last { $0.key == key }?.value
    }

    /// Every value printed for `key`, in order.
    package func all(_ key: String) -> [String] {
        fields.filter { $0.key == key }.map(\.value)
    }

    package var exitCode: Int32? { result.status.exitCode }

    package static func == (lhs: ActivatorOutput, rhs: ActivatorOutput) -> Bool {
        lhs.result == rhs.result && lhs.fields.map(\.key) == rhs.fields.map(\.key)
            && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(result)
    }
}
