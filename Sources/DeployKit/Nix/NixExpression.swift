/// The one function that turns text into Nix source: every name that reaches a Nix expression goes through it.
///
/// Node and profile names come from users and from flakes (`"web.example.com"`, names with
/// quotes or `${`); building expressions by interpolation alone would let such a name change
/// the meaning of the expression.
package enum NixExpression {
    /// A Nix double-quoted string literal whose value is exactly `s`.
    ///
    /// Escapes `\`, `"`, and `${` (as `\${`, so no interpolation starts), and writes newline,
    /// tab and carriage return as `\n`, `\t` and `\r`.
    package static func string(_ s: String) -> String {
        var result = "\""
        var previous: Character?
        for character in s {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "{" where previous == "$":
                // The `$` was already written: escape it by inserting a backslash before it.
                result.removeLast()
                result += "\\${"
            default: result.append(character)
            }
            previous = character
        }
        result += "\""
        return result
    }

    /// An attribute path whose components are exactly `names`: `"nodes"."web.example.com"`.
    package static func attrPath(_ names: [String]) -> String {
        names.map(string).joined(separator: ".")
    }
}
