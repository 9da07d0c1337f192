/// A target that names nothing in the loaded `deploy` output, or that cannot be read at all.
///
/// Unknown names carry the nearest existing names, so the hint can say "Did you mean …?".
package enum SelectionError: UserFacingError, Equatable {
    case unknownNode(String, suggestions: [String])
    case unknownProfile(node: String, profile: String, suggestions: [String])
    /// `@TAG` where no node has the tag.
    case unknownTag(String, suggestions: [String])
    /// A glob pattern (as written) that matches no profile.
    case noMatch(String)
    /// Text that is not a target; `reason` says why.
    case badTarget(String, reason: String)
    /// A target whose flake (`flake#...`) is not the loaded one.
    case otherFlake(target: String, flake: String, loaded: String)

    package var message: String {
        switch self {
        case .unknownNode(let node, _): "no node named '\(node)'"
        case .unknownProfile(let node, let profile, _): "node '\(node)' has no profile '\(profile)'"
        case .unknownTag(let tag, _): "no node has the tag '\(tag)'"
        case .noMatch(let pattern): "no target matches '\(pattern)'"
        case .badTarget(let text, let reason): "bad target '\(text)': \(reason)"
        case .otherFlake(let target, let flake, let loaded):
            "target '\(target)' names flake '\(flake)', but the loaded flake is '\(loaded)'"
        }
    }

    package var hint: String? { hint(in: .shell) }

    /// In the one-shot, where `nodes` and `load` cannot be typed, the hint names `deploysh -c`.
    package func hint(in face: Face) -> String? {
        guard face == .oneShot else { return shellHint }
        switch self {
        case .unknownNode(_, let suggestions), .unknownProfile(_, _, let suggestions):
            let list = "Run `deploysh -c 'load FLAKE; nodes'` to list what the flake defines."
            guard !suggestions.isEmpty else { return list }
            return "Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))? " + list
        case .unknownTag(_, let suggestions):
            let show = "Run `deploysh -c 'load FLAKE; show NODE'` to see a node's tags."
            guard !suggestions.isEmpty else { return "Tag nodes with `tags = [ \"web\" ];` in the flake. " + show }
            return "Did you mean \(suggestions.map { "'@\($0)'" }.joined(separator: " or "))? " + show
        case .noMatch:
            return "Run `deploysh -c 'load FLAKE; nodes'` to list what the flake defines."
        case .badTarget, .otherFlake:
            return shellHint
        }
    }

    private var shellHint: String? {
        switch self {
        case .unknownNode(_, let suggestions), .unknownProfile(_, _, let suggestions):
            guard !suggestions.isEmpty else { return "Run `nodes` to list what the flake defines." }
            return "Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))? Run `nodes` to list them."
        case .unknownTag(_, let suggestions):
            guard !suggestions.isEmpty else {
                return "Tag nodes with `tags = [ \"web\" ];` in the flake; run `show NODE` to see a node's tags."
            }
            return
                "Did you mean \(suggestions.map { "'@\($0)'" }.joined(separator: " or "))? Run `show NODE` to see a node's tags."
        case .noMatch:
            return "Run `nodes` to list what the flake defines."
        case .badTarget:
            return "Write a target as NODE, NODE.PROFILE or FLAKE#NODE.PROFILE, and quote a name that "
                + "contains a dot: \"web.example.com\".system."
        case .otherFlake(_, let flake, _):
            return "Run `load \(flake)` first, or leave the flake out of the target."
        }
    }
}
