import Testing

@testable import DeployKit

/// A target's flake must be the loaded one; spellings of one local flake are the same flake.
@Suite struct FlakeReferenceTests {
    @Test(arguments: [
        (".", ".", true),
        (".", "path:/srv/fleet", true),
        ("path:/srv/fleet/", "/srv/fleet", true),
        ("./sub/..", ".", true),
        ("path:/other", "path:/srv/fleet", false),
        ("github:o/r", "github:o/r", true),
        ("github:o/r", "github:o/other", false),
        ("github:o/r", ".", false),
    ])
    func testSameFlake(first: String, second: String, same: Bool) {
        #expect(FlakeReference.same(first, second, directory: "/srv/fleet") == same)
    }
}
