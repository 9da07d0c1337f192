import DeployTestSupport
import Testing

@testable import DeployKit

/// SHA-256 as `sha256sum` computes it: the node checks the installed activator with it.
@Suite struct SHA256Tests {
    @Test(
        .tags(.small),
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ]
    )
    func testKnownDigests(text: String, digest: String) {
        #expect(SHA256.hex(Array(text.utf8)) == digest)
    }

    /// Medium: the digest of the embedded activator is what `sha256sum` on a node prints for it.
    @Test(.tags(.medium)) func testTheActivatorsDigestMatchesSha256sum() async throws {
        let result = try await SubprocessRunner().run(
            Invocation("sh", ["-c", "printf '%s' \"$1\" | sha256sum", "sh", ActivatorScript.source])
        )
        #expect(result.standardOutput.prefix(64) == SHA256.hex(Array(ActivatorScript.source.utf8)))
    }
}
