import DeployKit

/// How a deploy would get a profile's closure onto its node, as `plan` and `show` say it:
/// `{"way":"direct"}`, `{"way":"cache","pushTo":..,"pullFrom":..}` or `{"way":"built on the target"}`.
struct CopyPath: Encodable, Sendable {
    var way: String
    var pushTo: String?
    var pullFrom: String?
    var fallback: Bool?

    init(_ profile: ResolvedProfile, cache: CacheOptions) {
        if profile.settings.remoteBuild {
            way = "built on the target"
        } else if let route = cache.route(for: profile) {
            way = "cache"
            pushTo = route.pushTo.map(StoreURL.display)
            pullFrom = StoreURL.display(route.pullFrom)
            fallback = route.fallback
        } else {
            way = "direct"
        }
    }

    var text: String {
        guard way == "cache", let pushTo, let pullFrom else {
            return way == "direct" ? "direct (nix copy over ssh)" : way
        }
        let pull = pullFrom == pushTo ? "" : ", pull from \(pullFrom)"
        return "via cache \(pushTo)\(pull)" + (fallback == false ? " (no fallback)" : "")
    }
}
