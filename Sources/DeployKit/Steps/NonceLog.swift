import Synchronization

/// The nonces one confirmation sent, so that only the node's record of one of them counts as
/// this deployer's confirmation.
final class NonceLog: Sendable {
    private let nonces = Mutex<[String]>([])

    func append(_ nonce: String) { nonces.withLock { $0.append(nonce) } }
    func contains(_ nonce: String) -> Bool { nonces.withLock { $0.contains(nonce) } }
    var all: Set<String> { nonces.withLock { Set($0) } }
}
