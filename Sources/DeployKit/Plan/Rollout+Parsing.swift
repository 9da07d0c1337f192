/// Reading rollout values from text (flags, `set`) and from the flake's `rollout` attribute set.
extension Rollout {
    /// `1,25%,100%`: counts (≥ 1) or percentages (1 to 100).
    package static func parseBatches(_ text: String, option: String = "--batches") throws(RolloutError)
        -> [BatchSize]
    {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty else { throw .badValue(option: option, value: text, reason: "no batch given") }
        var result: [BatchSize] = []
        for entry in entries {
            result.append(try parseBatch(entry.trimmingBlanks, option: option, whole: text))
        }
        return result
    }

    private static func parseBatch(_ entry: String, option: String, whole: String) throws(RolloutError) -> BatchSize {
        if entry.hasSuffix("%") {
            guard let percent = Int(entry.dropLast()), !entry.dropLast().contains("+") else {
                throw .badValue(option: option, value: whole, reason: "'\(entry)' is not a percentage")
            }
            guard (1...100).contains(percent) else {
                throw .badValue(
                    option: option,
                    value: whole,
                    reason: "a percentage must be from 1% to 100%, not \(entry)"
                )
            }
            return .percent(percent)
        }
        guard let count = Int(entry), !entry.contains("+") else {
            throw .badValue(option: option, value: whole, reason: "'\(entry)' is neither a count nor a percentage")
        }
        guard count >= 1 else {
            throw .badValue(option: option, value: whole, reason: "a batch must have at least 1 node, not \(count)")
        }
        return .count(count)
    }

    /// `N` or `P%` (0 to 100).
    package static func parseBudget(_ text: String, option: String = "--max-failures") throws(RolloutError)
        -> FailureBudget
    {
        let trimmed = text.trimmingBlanks
        if trimmed.hasSuffix("%") {
            guard let percent = Int(trimmed.dropLast()), (0...100).contains(percent), !trimmed.contains("+") else {
                throw .badValue(option: option, value: text, reason: "expected a percentage from 0% to 100%")
            }
            return .percent(percent)
        }
        guard let count = Int(trimmed), count >= 0, !trimmed.contains("+") else {
            throw .badValue(
                option: option,
                value: text,
                reason: "expected a number of nodes (0 or more) or a percentage"
            )
        }
        return .count(count)
    }

    /// `rollback-all`, `rollback-batch` or `halt`.
    package static func parseOnFailure(_ text: String, option: String = "--on-failure") throws(RolloutError)
        -> OnFailure
    {
        guard let value = OnFailure(rawValue: text.trimmingBlanks) else {
            let suggestions = NameSuggestions.nearest(to: text, in: OnFailure.allCases.map(\.rawValue), limit: 1)
            let reason = suggestions.first.map { "unknown rule; did you mean '\($0)'?" } ?? "unknown rule"
            throw .badValue(option: option, value: text, reason: reason)
        }
        return value
    }

    /// `0` or `0,2`: batch indices from 0.
    package static func parsePauseAfter(_ text: String, option: String = "--pause-after") throws(RolloutError) -> [Int]
    {
        var result: [Int] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let index = Int(String(entry).trimmingBlanks), index >= 0, !entry.contains("+") else {
                throw .badValue(option: option, value: text, reason: "'\(entry)' is not a batch number (0 or more)")
            }
            result.append(index)
        }
        return result
    }

    /// The flake's `rollout = { batches; maxFailures; onFailure; pauseAfter; }`, or the first problem.
    package init(json: JSONObject) throws(RolloutError) {
        self.init()
        for (key, value) in json {
            let option = "rollout.\(key)"
            switch key {
            case "batches":
                guard let items = value.arrayValue, !items.isEmpty else {
                    throw .badValue(option: option, value: value.typeName, reason: "expected a non-empty list")
                }
                var sizes: [BatchSize] = []
                for item in items {
                    let text = item.intValue.map(String.init) ?? item.stringValue ?? item.typeName
                    sizes += try Self.parseBatches(text, option: option)
                }
                batches = sizes
            case "maxFailures":
                let text = value.intValue.map(String.init) ?? value.stringValue ?? value.typeName
                maxFailures = try Self.parseBudget(text, option: option)
            case "onFailure":
                onFailure = try Self.parseOnFailure(value.stringValue ?? value.typeName, option: option)
            case "pauseAfter":
                let items = value.intValue.map { [JSONValue.number(Double($0))] } ?? value.arrayValue ?? [value]
                let text = items.map { $0.intValue.map(String.init) ?? $0.typeName }.joined(separator: ",")
                pauseAfter = try Self.parsePauseAfter(text, option: option)
            default:
                let suggestion = NameSuggestions.nearest(
                    to: key,
                    in: ["batches", "maxFailures", "onFailure", "pauseAfter"],
                    limit: 1
                ).first
                throw .badValue(
                    option: "rollout",
                    value: key,
                    reason: suggestion.map { "unknown attribute; did you mean '\($0)'?" } ?? "unknown attribute"
                )
            }
        }
    }
}

extension String {
    /// `self` without leading and trailing spaces and tabs.
    fileprivate var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
