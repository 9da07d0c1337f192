/// Checks the `deploy` output (as returned by `LoadExpression`) against deploy-rs's schema.
///
/// `DeployConfig` tolerates wrong types so that loading never fails on a detail; this check
/// is where those details are reported, each with the attribute path that holds it. Errors
/// are what deploy-rs would refuse; unknown attributes are warnings with a "did you mean".
package enum SchemaChecker {
    /// The three levels that take settings, each with its own attributes.
    ///
    /// Known names are matched without any shared table: `load` checks nodes on several threads.
    private enum Level {
        case deploy, node, profile

        /// The attributes of this level besides the generic settings.
        var ownNames: [String] {
            switch self {
            case .deploy: ["nodes", "rollout", "binaryCache"] + Settings.healthAttributes
            case .node: ["hostname", "profiles", "profilesOrder", "tags", "binaryCache"] + Settings.healthAttributes
            case .profile: ["path", "profilePath"] + Settings.healthAttributes
            }
        }

        func knows(_ key: String) -> Bool {
            if let setting = SettingKey(exactly: key) { return setting != .hostname || self == .node }
            if Settings.healthAttributes.contains(key) { return true }
            switch self {
            case .deploy:
                return ExactName.same(key, "nodes") || ExactName.same(key, "rollout")
                    || ExactName.same(key, "binaryCache")
            case .node:
                return ExactName.same(key, "profiles") || ExactName.same(key, "profilesOrder")
                    || ExactName.same(key, "tags") || ExactName.same(key, "binaryCache")
            case .profile: return ExactName.same(key, "path") || ExactName.same(key, "profilePath")
            }
        }

        /// Every known name, for "did you mean" (only when an attribute is unknown).
        var names: [String] { SettingKey.genericSettings.map(\.rawValue) + ownNames }
    }

    /// Every problem found, in a stable order (attributes by name, nodes and profiles by name).
    package static func check(_ deploy: JSONValue) -> [SchemaProblem] {
        var problems: [SchemaProblem] = []
        guard case .object(let attributes) = deploy else {
            return [expected("an attribute set", got: deploy, at: "deploy")]
        }
        checkLevel(attributes, level: .deploy, at: [], into: &problems)
        guard let nodesValue = attributes["nodes"] else {
            problems.insert(.init(path: "deploy", severity: .error, message: missing("nodes")), at: 0)
            return problems
        }
        guard case .object(let nodes) = nodesValue else { return problems }
        return problems + checkNodes(Array(nodes)[...])
    }

    /// The problems of the top level of `deploy` alone (not its nodes), for a caller that
    /// checks the nodes itself (in parts, see `DeployConfig`); `deploy` must have `nodes`.
    package static func checkTopLevel(_ deploy: JSONObject) -> [SchemaProblem] {
        var problems: [SchemaProblem] = []
        checkLevel(deploy, level: .deploy, at: [], into: &problems)
        return problems
    }

    /// The problems of some nodes (`name`, value), in the order given.
    package static func checkNodes(_ nodes: ArraySlice<(key: String, value: JSONValue)>) -> [SchemaProblem] {
        var problems: [SchemaProblem] = []
        for (name, value) in nodes {
            guard let node = value.objectValue else {
                problems.append(expected("an attribute set", got: value, at: join(["nodes", name])))
                continue
            }
            checkNode(node, named: name, into: &problems)
        }
        return problems
    }

    private static func checkNode(
        _ node: JSONObject,
        named name: String,
        into problems: inout [SchemaProblem]
    ) {
        let nodePath = ["nodes", name]
        if node["hostname"] == nil {
            problems.append(.init(path: join(nodePath), severity: .error, message: missing("hostname")))
        }
        if node["profiles"] == nil {
            problems.append(.init(path: join(nodePath), severity: .error, message: missing("profiles")))
        }
        checkLevel(node, level: .node, at: nodePath, into: &problems)
        guard case .object(let profiles) = node["profiles"] else { return }
        for (profileName, value) in profiles {  // sorted by name
            let profilePath = nodePath + ["profiles", profileName]
            if let problem = TargetPathRules.nameProblem(profileName) {
                let message = "profile name \(DisplayText.quoted(profileName)) \(problem)"
                problems.append(.init(path: join(profilePath), severity: .error, message: message))
            }
            guard let profile = value.objectValue else {
                problems.append(expected("an attribute set", got: value, at: join(profilePath)))
                continue
            }
            let hasPath = profile[LoadExpression.hasPathAttribute]?.boolValue ?? true
            if !hasPath {
                problems.append(.init(path: join(profilePath), severity: .error, message: missing("path")))
            }
            checkLevel(profile, level: .profile, at: profilePath, into: &problems)
        }
    }

    /// Checks the type of every known attribute of one level, and warns about unknown ones.
    private static func checkLevel(
        _ attributes: JSONObject,
        level: Level,
        at path: [String],
        into problems: inout [SchemaProblem]
    ) {
        // Attributes are visited unsorted and only the (rare) problems sorted, and paths are
        // only joined for problems: `load` runs this on every node and profile.
        var found: [(key: String, severity: SchemaProblem.Severity, message: String, onlyDeploying: Bool)] = []
        var nested: [SchemaProblem] = []
        for (key, value) in attributes where key != LoadExpression.hasPathAttribute {
            guard level.knows(key) else {
                let suggestion = NameSuggestions.nearest(to: key, in: level.names, limit: 1).first
                let message = suggestion.map { "unknown attribute; did you mean '\($0)'?" } ?? "unknown attribute"
                found.append((key, .warning, message, false))
                continue
            }
            if key == "healthChecks" || key == "preDeployChecks" {
                if value.isNull { continue }
                for problem in HealthCheck.problems(in: value) {
                    nested.append(
                        .init(
                            path: join(path + [key] + problem.path),
                            severity: problem.severity,
                            message: problem.message
                        )
                    )
                }
                continue
            }
            if key == "binaryCache" {
                if value.isNull { continue }
                for problem in BinaryCache.problems(in: value) {
                    nested.append(
                        .init(
                            path: join(path + [key] + (problem.attribute.map { [$0] } ?? [])),
                            severity: problem.message.hasPrefix("unknown attribute") ? .warning : .error,
                            message: problem.message
                        )
                    )
                }
                continue
            }
            if let problem = typeProblem(key: key, value: value, path: path, attributes: attributes) {
                found.append((key, .error, problem, false))
            } else if let problem = userProblem(key: key, value: value) {
                found.append((key, .error, problem, true))
            } else if let problem = valueProblem(key: key, value: value) {
                found.append((key, .error, problem, false))
            }
        }
        if found.isEmpty && nested.isEmpty { return }
        for item in found.sorted(by: { ExactName.precedes($0.key, $1.key) }) {
            problems.append(
                .init(
                    path: join(path + [item.key]),
                    severity: item.severity,
                    message: item.message,
                    refusesOnlyDeploying: item.onlyDeploying
                )
            )
        }
        problems += nested
    }

    /// What is wrong with the value of a known attribute, or `nil` when it is fine.
    private static func typeProblem(
        key: String,
        value: JSONValue,
        path: [String],
        attributes: JSONObject
    ) -> String? {
        if let setting = SettingKey(exactly: key), setting != .hostname {
            return settingProblem(setting, value: value)
        }
        switch key {
        case "hostname", "profilePath":
            return value.stringValue == nil ? expectedMessage("a string", got: value) : nil
        case "nodes", "profiles":
            return value.objectValue == nil ? expectedMessage("an attribute set", got: value) : nil
        case "profilesOrder":
            return profilesOrderProblem(value, node: path.last ?? "", profiles: attributes["profiles"])
        case "healthTimeout", "healthSoak":
            if value.isNull { return nil }
            guard let number = value.intValue else { return expectedMessage("an integer (seconds)", got: value) }
            return number < 0 ? "expected a non-negative integer, got \(number)" : nil
        case "tags":
            guard let list = value.arrayValue else { return expectedMessage("a list of strings", got: value) }
            if let bad = list.firstIndex(where: { $0.stringValue == nil }) {
                return "item \(bad + 1) is \(list[bad].typeNameWithArticle), not a string"
            }
            if let bad = list.compactMap(\.stringValue).first(where: { !Self.isTagName($0) }) {
                return "tag \(DisplayText.quoted(bad)) may hold only letters, digits, '-' and '_'"
            }
            return nil
        case "rollout":
            guard let object = value.objectValue else { return expectedMessage("an attribute set", got: value) }
            do throws(RolloutError) {
                _ = try Rollout(json: object)
                return nil
            } catch {
                return error.message
            }
        default:
            return nil  // `path`: any value; it is checked when it is built
        }
    }

    /// What is unsafe about a well-typed value that reaches ssh or a path on the target, or `nil`.
    private static func valueProblem(key: String, value: JSONValue) -> String? {
        guard let text = value.stringValue else { return nil }
        let problem: String? =
            switch key {
            // An empty host is refused only when that node is deployed (as deploy-rs does): a
            // flake may leave a node's host to the environment (`--impure`, `builtins.getEnv`).
            case "hostname": text.isEmpty ? nil : SSHDestination.problem(with: text)
            case "profilePath": TargetPathRules.profilePathProblem(text)
            default: nil
            }
        return problem.map { "\(DisplayText.quoted(text)) \($0)" }
    }

    /// What deploysh refuses in a `user` or `sshUser` (deploy-rs takes it), or `nil`.
    ///
    /// Such a flake still loads: only deploying a node that uses the value is refused, by
    /// `RemoteSession.destination(for:)`, before any ssh call or path on the target is made from it.
    private static func userProblem(key: String, value: JSONValue) -> String? {
        guard key == "user" || key == "sshUser", let text = value.stringValue,
            let problem = TargetPathRules.userProblem(text, isSSHUser: key == "sshUser")
        else { return nil }
        return "\(DisplayText.quoted(text)) \(problem); deploysh does not deploy a node with it"
    }

    /// The problem with a generic setting's value; `null` is accepted as "not set", as deploy-rs
    /// does (its settings are `Option`s), except for `sshOpts`, a list that deploy-rs cannot read from `null`.
    private static func settingProblem(_ key: SettingKey, value: JSONValue) -> String? {
        if value.isNull { return key == .sshOpts ? expectedMessage("a list of strings", got: value) : nil }
        switch key.expectedType {
        case "boolean":
            return value.boolValue == nil ? expectedMessage("a boolean", got: value) : nil
        case "integer":
            guard let number = value.intValue else { return expectedMessage("an integer", got: value) }
            return number < 0 ? "expected a non-negative integer, got \(number)" : nil
        case "list of strings":
            guard let list = value.arrayValue else { return expectedMessage("a list of strings", got: value) }
            guard let bad = list.firstIndex(where: { $0.stringValue == nil }) else { return nil }
            return "item \(bad + 1) is \(list[bad].typeNameWithArticle), not a string"
        default:
            return value.stringValue == nil ? expectedMessage("a string", got: value) : nil
        }
    }

    /// Whether `name` can be written after `@` (letters, digits, `-`, `_`; not empty).
    package static func isTagName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func profilesOrderProblem(_ value: JSONValue, node: String, profiles: JSONValue?) -> String? {
        guard let list = value.arrayValue else { return expectedMessage("a list of strings", got: value) }
        for (index, item) in list.enumerated() {
            guard let name = item.stringValue else {
                return "item \(index + 1) is \(item.typeNameWithArticle), not a string"
            }
            if let profiles = profiles?.objectValue, profiles[name] == nil {
                return "'\(name)' is not a profile of node '\(node)'"
            }
            // Lists are short: a look at the earlier items beats hashing every name.
            if list[..<index].contains(where: { $0.stringValue.map { ExactName.same($0, name) } ?? false }) {
                return "'\(name)' is listed more than once"
            }
        }
        return nil
    }

    private static func expected(_ type: String, got value: JSONValue, at path: String) -> SchemaProblem {
        SchemaProblem(path: path, severity: .error, message: expectedMessage(type, got: value))
    }

    private static func expectedMessage(_ type: String, got value: JSONValue) -> String {
        "expected \(type), got \(value.typeName)"
    }

    private static func missing(_ attribute: String) -> String {
        "missing required attribute '\(attribute)'"
    }

    /// Joins attribute names with dots, quoting a name that would not read back bare.
    package static func join(_ names: [String]) -> String {
        names.isEmpty ? "deploy" : names.map(ProfileRef.quotedIfNeeded).joined(separator: ".")
    }
}
