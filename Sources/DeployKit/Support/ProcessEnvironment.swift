#if canImport(Glibc)
    import Glibc
#endif

/// Reads single variables of deploysh's own environment.
///
/// `ProcessInfo.processInfo.environment` copies the whole environment into a new dictionary on
/// every call (about 0.3 ms on this kind of machine); deploysh needs a handful of variables,
/// some of them before every command it starts (`PATH`). deploysh never changes its own
/// environment (children get theirs from `Invocation.environment`), so reading is safe from
/// any thread.
package enum ProcessEnvironment {
    /// The value of `name`, if it is set.
    package static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The variables among `names` that are set, by name.
    package static func values(_ names: [String]) -> [String: String] {
        var found: [String: String] = [:]
        for name in names {
            if let value = value(name) { found[name] = value }
        }
        return found
    }
}
