/// Reads deploy-rs's target syntax into a `TargetPattern`.
///
/// Accepted forms:
/// - `node`, `node.profile`, and either with a flake: `.#node`, `.#node.profile`, `path:/x#node.profile`;
/// - quoted components for names with dots: `"web.example.com".system`, `.#"web.example.com"`;
///   inside quotes `\"` and `\\` stand for `"` and `\`;
/// - globs in either component: `web-*`, `*.system`, `web?.home` (even inside quotes);
/// - `@TAG` and `@TAG.PROFILE` (with or without a flake): every node with that tag (colmena's syntax);
/// - a flake alone (`.`, `path:/srv/fleet`, `.#`): every node, as `deploy .` does in deploy-rs.
///   Without `#`, text is a flake alone when it is `.` or contains `/` or `:`.
package enum TargetParser {
    /// Parses one target.
    ///
    /// - Throws: `SelectionError.badTarget` naming the text and what is wrong with it.
    package static func parse(_ text: String) throws(SelectionError) -> TargetPattern {
        guard !text.isEmpty else { throw .badTarget(text, reason: "the target is empty") }
        let characters = Array(text)
        let hash = try firstHash(in: characters, text: text)
        let flake = hash.map { String(characters[..<$0]) }
        let fragment = hash.map { Array(characters[($0 + 1)...]) } ?? characters

        if let flake, flake.isEmpty {
            throw .badTarget(text, reason: "no flake before '#'; write '.#' for the flake in this directory")
        }
        if fragment.isEmpty && flake != nil { return TargetPattern(flake: flake, node: "*") }
        if hash == nil && (text == "." || (text.first != "\"" && (text.contains("/") || text.contains(":")))) {
            return TargetPattern(flake: text, node: "*")
        }

        if fragment.first == "@" {
            let rest = Array(fragment.dropFirst())
            let parts = try components(of: rest, text: text)
            guard SchemaChecker.isTagName(parts[0]), parts.count <= 2 else {
                throw .badTarget(text, reason: "a tag holds only letters, digits, '-' and '_': @web or @web.system")
            }
            return TargetPattern(flake: flake, node: "*", profile: parts.count == 2 ? parts[1] : nil, tag: parts[0])
        }
        let components = try components(of: fragment, text: text)
        switch components.count {
        case 1: return TargetPattern(flake: flake, node: components[0])
        case 2: return TargetPattern(flake: flake, node: components[0], profile: components[1])
        default:
            throw .badTarget(
                text,
                reason: "too many '.'-separated names; quote a name that contains a dot: \"web.example.com\".system"
            )
        }
    }

    /// The index of the first `#` outside quotes.
    private static func firstHash(in characters: [Character], text: String) throws(SelectionError) -> Int? {
        var inQuotes = false
        var index = 0
        while index < characters.count {
            switch characters[index] {
            case "\\" where inQuotes: index += 1
            case "\"": inQuotes.toggle()
            case "#" where !inQuotes: return index
            default: break
            }
            index += 1
        }
        if inQuotes { throw .badTarget(text, reason: "unterminated quote") }
        return nil
    }

    /// Splits `fragment` on dots outside quotes, unquoting quoted components.
    private static func components(of fragment: [Character], text: String) throws(SelectionError) -> [String] {
        var components: [String] = []
        var index = 0
        while true {
            var component = ""
            if index < fragment.count, fragment[index] == "\"" {
                index += 1
                var closed = false
                while index < fragment.count {
                    let character = fragment[index]
                    index += 1
                    if character == "\"" {
                        closed = true
                        break
                    }
                    if character == "\\", index < fragment.count {
                        component.append(fragment[index])
                        index += 1
                    } else {
                        component.append(character)
                    }
                }
                guard closed else { throw .badTarget(text, reason: "unterminated quote") }
                if index < fragment.count, fragment[index] != "." {
                    throw .badTarget(text, reason: "unexpected '\(fragment[index])' after a quoted name")
                }
            } else {
                while index < fragment.count, fragment[index] != "." {
                    let character = fragment[index]
                    if character == "#" { throw .badTarget(text, reason: "more than one '#'") }
                    if character == "\"" { throw .badTarget(text, reason: "a quote must start a name") }
                    if character.isWhitespace {
                        throw .badTarget(text, reason: "a name with blanks must be quoted")
                    }
                    component.append(character)
                    index += 1
                }
            }
            if component.isEmpty {
                let which = components.isEmpty ? "node" : "profile"
                throw .badTarget(text, reason: "empty \(which) name")
            }
            components.append(component)
            guard index < fragment.count else { return components }
            index += 1  // the dot
            if index == fragment.count {
                throw .badTarget(text, reason: components.count == 1 ? "empty profile name" : "trailing '.'")
            }
        }
    }
}
