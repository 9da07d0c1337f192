/// Remembers sudo passwords per host for one session, so `interactiveSudo` asks once per host.
///
/// Passwords live in memory only; they are never rendered, logged or written anywhere.
actor SudoPasswordCache {
    private var passwords: [String: String] = [:]
    private let ask: @Sendable (_ host: String) async throws -> String?

    init(ask: @escaping @Sendable (_ host: String) async throws -> String?) {
        self.ask = ask
    }

    func password(for host: String) async throws -> String? {
        if let known = passwords[host] { return known }
        let entered = try await ask(host)
        if let entered { passwords[host] = entered }
        return entered
    }
}
