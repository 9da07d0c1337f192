/// One health check of a profile (`healthChecks`, `preDeployChecks`): a command on the target,
/// an HTTP request or a TCP connect from the deployer.
///
/// Read leniently (a malformed check is dropped here and reported by `SchemaChecker` through
/// ``problems(in:)``), as `Settings` does for every attribute.
package struct HealthCheck: Sendable, Hashable, Codable {
    /// What the check does; a check has exactly one kind.
    package enum Kind: Sendable, Hashable, Codable {
        /// Runs the words on the target (over the node's ssh connection); exit 0 is healthy.
        case cmd([String])
        /// Fetches the URL from the deployer; `{hostname}` stands for the node's hostname.
        case http(String)
        /// Connects from the deployer to `HOST:PORT`; `{hostname}` stands for the node's hostname.
        case tcp(String)

        /// The attribute that spells this kind: `cmd`, `http` or `tcp`.
        package var attribute: String {
            switch self {
            case .cmd: "cmd"
            case .http: "http"
            case .tcp: "tcp"
            }
        }

        /// Whether the check runs on the target rather than from the deployer.
        package var runsOnTarget: Bool {
            if case .cmd = self { return true }
            return false
        }
    }

    package var name: String
    package var kind: Kind
    /// Seconds between attempts.
    package var period: Double
    /// Seconds one attempt may take before it is stopped and counted as failed.
    package var timeout: Double
    /// The HTTP statuses that count as healthy; empty: any 2xx.
    package var expectStatus: [Int]
    /// Text the HTTP body must contain, when given.
    package var expectBody: String?
    /// Extra HTTP request headers, sorted by name.
    package var headers: [Header]
    /// Skip TLS verification (https only).
    package var insecure: Bool

    /// One HTTP header.
    package struct Header: Sendable, Hashable, Codable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package static let defaultPeriod: Double = 1
    package static let defaultTimeout: Double = 5

    package init(
        name: String? = nil,
        kind: Kind,
        period: Double = HealthCheck.defaultPeriod,
        timeout: Double = HealthCheck.defaultTimeout,
        expectStatus: [Int] = [],
        expectBody: String? = nil,
        headers: [Header] = [],
        insecure: Bool = false
    ) {
        self.name = name ?? Self.defaultName(of: kind)
        self.kind = kind
        self.period = period
        self.timeout = timeout
        self.expectStatus = expectStatus
        self.expectBody = expectBody
        self.headers = headers
        self.insecure = insecure
    }

    /// The name a check without `name` gets: `cmd systemctl is-active nginx`, `http http://…`, `tcp {hostname}:5432`.
    package static func defaultName(of kind: Kind) -> String {
        switch kind {
        case .cmd(let words): "cmd " + words.joined(separator: " ")
        case .http(let url): "http " + url
        case .tcp(let address): "tcp " + address
        }
    }

    /// The attributes a check may have.
    package static let attributes = [
        "cmd", "http", "tcp", "name", "period", "timeout", "expectStatus", "expectBody", "headers", "insecure",
    ]

    /// The check described by `json`, or `nil` when it is malformed (see ``problems(in:)``).
    package init?(json: JSONObject) {
        let kinds = ["cmd", "http", "tcp"].filter { json[$0] != nil }
        guard kinds.count == 1 else { return nil }
        let kind: Kind
        if let words = json["cmd"]?.stringArrayValue, !words.isEmpty {
            kind = .cmd(words)
        } else if let url = json["http"]?.stringValue, HealthURL(url) != nil {
            kind = .http(url)
        } else if let address = json["tcp"]?.stringValue, HealthAddress(address) != nil {
            kind = .tcp(address)
        } else {
            return nil
        }
        func seconds(_ key: String, _ fallback: Double) -> Double? {
            guard let value = json[key], !value.isNull else { return fallback }
            guard let number = value.doubleValue, number >= 0 else { return nil }
            return number
        }
        guard let period = seconds("period", Self.defaultPeriod), let timeout = seconds("timeout", Self.defaultTimeout)
        else { return nil }
        var statuses: [Int] = []
        if let status = json["expectStatus"] {
            if let one = status.intValue {
                statuses = [one]
            } else if let list = status.arrayValue {
                statuses = list.compactMap(\.intValue)
            }
        }
        let headers = (json["headers"]?.objectValue ?? [:])
            .compactMap { name, value in value.stringValue.map { Header(name: name, value: $0) } }
            .sorted { $0.name < $1.name }
        self.init(
            name: json["name"]?.stringValue,
            kind: kind,
            period: period,
            timeout: timeout,
            expectStatus: statuses,
            expectBody: json["expectBody"]?.stringValue,
            headers: headers,
            insecure: json["insecure"]?.boolValue ?? false
        )
    }

    /// The checks of a list attribute, each well-formed one; `nil` when the value is not a list.
    package static func list(from value: JSONValue) -> [HealthCheck]? {
        guard let items = value.arrayValue else { return nil }
        return items.compactMap { $0.objectValue.flatMap(HealthCheck.init(json:)) }
    }

    /// What is wrong with a `healthChecks` / `preDeployChecks` value: each problem with the
    /// attribute path below the list (`["0", "http"]`), its severity and message.
    package static func problems(in value: JSONValue) -> [(
        path: [String], severity: SchemaProblem.Severity, message: String
    )] {
        guard let items = value.arrayValue else {
            return [([], .error, "expected a list of checks, got \(value.typeName)")]
        }
        var found: [(path: [String], severity: SchemaProblem.Severity, message: String)] = []
        for (index, item) in items.enumerated() {
            let at = String(index)
            guard let check = item.objectValue else {
                found.append(([at], .error, "expected an attribute set, got \(item.typeName)"))
                continue
            }
            let kinds = ["cmd", "http", "tcp"].filter { check[$0] != nil }
            if kinds.isEmpty {
                found.append(([at], .error, "a check needs exactly one of 'cmd', 'http' or 'tcp'"))
            } else if kinds.count > 1 {
                let listed = kinds.map { "'\($0)'" }.joined(separator: " and ")
                found.append(([at], .error, "a check has exactly one kind, this one has \(listed)"))
            }
            for (key, value) in check.sorted(by: { $0.key < $1.key }) {
                guard attributes.contains(key) else {
                    let suggestion = NameSuggestions.nearest(to: key, in: attributes, limit: 1).first
                    let message =
                        suggestion.map { "unknown attribute of a check; did you mean '\($0)'?" }
                        ?? "unknown attribute of a check"
                    found.append(([at, key], .error, message))
                    continue
                }
                if let problem = attributeProblem(key, value) { found.append(([at, key], .error, problem)) }
            }
        }
        return found
    }

    private static func attributeProblem(_ key: String, _ value: JSONValue) -> String? {
        switch key {
        case "cmd":
            guard let list = value.arrayValue else { return "expected a list of strings, got \(value.typeName)" }
            if list.isEmpty { return "expected at least one word" }
            if let bad = list.firstIndex(where: { $0.stringValue == nil }) {
                return "item \(bad + 1) is \(list[bad].typeNameWithArticle), not a string"
            }
            return nil
        case "http":
            guard let url = value.stringValue else { return "expected a string, got \(value.typeName)" }
            return HealthURL(url) == nil
                ? "malformed URL \(DisplayText.quoted(url)); expected http://HOST[:PORT]/PATH or https://…" : nil
        case "tcp":
            guard let address = value.stringValue else { return "expected a string, got \(value.typeName)" }
            return HealthAddress(address) == nil
                ? "malformed address \(DisplayText.quoted(address)); expected HOST:PORT, e.g. {hostname}:5432" : nil
        case "name", "expectBody":
            return value.stringValue == nil ? "expected a string, got \(value.typeName)" : nil
        case "period", "timeout":
            guard let number = value.doubleValue else { return "expected a number of seconds, got \(value.typeName)" }
            return number < 0
                ? "expected a non-negative number of seconds, got \(DecimalText.fixed(number, digits: number.rounded() == number ? 0 : 2))"
                : nil
        case "insecure":
            return value.boolValue == nil ? "expected a boolean, got \(value.typeName)" : nil
        case "expectStatus":
            let statuses = value.intValue.map { [JSONValue.number(Double($0))] } ?? value.arrayValue
            guard let statuses, !statuses.isEmpty else {
                return "expected an HTTP status or a list of them, got \(value.typeName)"
            }
            if let bad = statuses.first(where: { ($0.intValue ?? 0) < 100 || ($0.intValue ?? 0) > 599 }) {
                return "\(bad.intValue.map(String.init) ?? bad.typeName) is not an HTTP status (100 to 599)"
            }
            return nil
        case "headers":
            guard let headers = value.objectValue else {
                return "expected an attribute set of strings, got \(value.typeName)"
            }
            if let bad = headers.first(where: { $0.value.stringValue == nil }) {
                return "header '\(bad.key)' is \(bad.value.typeNameWithArticle), not a string"
            }
            return nil
        default:
            return nil
        }
    }
}

/// The health settings of one profile after merging (`healthChecks`, `preDeployChecks`,
/// `healthTimeout`, `healthSoak`); a list at a higher level replaces the lower one.
package struct HealthSettings: Sendable, Hashable, Codable {
    package var checks: [HealthCheck]
    package var preDeployChecks: [HealthCheck]
    /// Seconds every check has to pass after activation.
    package var timeout: Int
    /// Seconds every check must then keep passing.
    package var soak: Int

    package static let defaultTimeout = 60

    package init(checks: [HealthCheck] = [], preDeployChecks: [HealthCheck] = [], timeout: Int = 60, soak: Int = 0) {
        self.checks = checks
        self.preDeployChecks = preDeployChecks
        self.timeout = timeout
        self.soak = soak
    }
}
