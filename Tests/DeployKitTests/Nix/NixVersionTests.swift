import Testing

@testable import DeployKit

/// Parsing `nix --version` and the feature gates that depend on it.
@Suite struct NixVersionTests {
    @Test(arguments: [
        ("nix (Nix) 2.8.0", NixVersion(2, 8, 0)),
        ("nix (Nix) 2.18.1\n", NixVersion(2, 18, 1)),
        ("nix (Nix) 2.15", NixVersion(2, 15, 0)),
        ("nix (Nix) 2.19.0pre20231026_dirty", NixVersion(2, 19, 0)),
        ("nix (Lix, like Nix) 2.90.0", NixVersion(2, 90, 0)),
    ])
    func testVersionOutputIsParsed(output: String, version: NixVersion) {
        #expect(NixVersion(versionOutput: output) == version)
    }

    @Test(arguments: ["", "command not found", "nix (Nix) unknown", "nix (Nix) 3", "nix (Nix) x.y.z"])
    func testGarbageIsNotAVersion(output: String) {
        #expect(NixVersion(versionOutput: output) == nil)
    }

    @Test func testVersionsCompareNumericallyNotAsText() {
        #expect(NixVersion(2, 8) < NixVersion(2, 15))
        #expect(NixVersion(2, 15, 0) < NixVersion(2, 15, 1))
        #expect(NixVersion(2, 99, 9) < NixVersion(3, 0))
        #expect(NixVersion.v2_8 == NixVersion(2, 8, 0))
        #expect(NixVersion(2, 18, 1).description == "2.18.1")
    }

    @Test(arguments: [
        (NixVersion(2, 8, 0), false),
        (NixVersion(2, 14, 9), false),
        (NixVersion(2, 15, 0), true),
        (NixVersion(2, 18, 1), true),
        (NixVersion(3, 0, 0), true),
    ])
    func testOutputSpecForDerivationsIsNeededFrom215(version: NixVersion, needed: Bool) {
        #expect(version.needsOutputSpecForDerivations == needed)
    }
}
