import DeployShell
final class InterruptHandler {
    func commandStarted(cancel: @escaping @Sendable () -> Void) {}
    func commandEnded() {}
}
struct EditLineSource: LineSource {
    init(historyFile: String, complete: @escaping (String) -> [String]) {}
    mutating func nextLine(prompt: String) async throws -> SourceLine? { nil }
}
