import Testing

@testable import DeployKit

/// Package names and versions read from store paths, and the added/removed/changed lists.
@Suite struct ClosureDiffTests {
    @Test(arguments: [
        ("/nix/store/0a1b2c-hello-2.12.1", "hello", "2.12.1"),
        ("/nix/store/0a1b2c-glibc-2.38-44", "glibc", "2.38-44"),
        ("/nix/store/0a1b2c-foo", "foo", ""),
        ("/nix/store/0a1b2c-python3.11-requests-2.31", "python3.11-requests", "2.31"),
        ("/nix/store/0a1b2c-nixos-system-web1-23.11.20240101.abcdef", "nixos-system-web1", "23.11.20240101.abcdef"),
        ("/nix/store/0a1b2c-etc", "etc", ""),
        ("/nix/store/0a1b2c-unit-script-nginx-pre-start", "unit-script-nginx-pre-start", ""),
        ("/nix/store/0a1b2c-0ad-0.0.26", "0ad-0.0.26", ""),
        ("0a1b2c-openssl-3.0.12-bin", "openssl", "3.0.12-bin"),
    ])
    func testNameAndVersionSplitAtTheFirstPartStartingWithADigit(path: String, name: String, version: String) {
        let parsed = ClosureDiff.nameAndVersion(path)
        #expect(parsed.name == name)
        #expect(parsed.version == version)
    }

    @Test func testAddedRemovedAndChangedPackages() {
        let diff = ClosureDiff(
            from: "/nix/store/old-system",
            to: "/nix/store/new-system",
            before: [
                "/nix/store/h1-hello-2.12",
                "/nix/store/h2-glibc-2.38-44",
                "/nix/store/h3-foo",
                "/nix/store/h4-gone-1.0",
                "",
            ],
            after: [
                "/nix/store/h5-hello-2.12.1",
                "/nix/store/h2-glibc-2.38-44",
                "/nix/store/h6-foo",
                "/nix/store/h7-zlib-1.3",
                "/nix/store/h8-added-3",
            ]
        )
        #expect(diff.from == "/nix/store/old-system")
        #expect(diff.to == "/nix/store/new-system")
        #expect(diff.added == ["added", "zlib"])
        #expect(diff.removed == ["gone"])
        #expect(
            diff.changed == [
                ClosureDiff.Change(name: "foo", before: ["h3-foo"], after: ["h6-foo"]),
                ClosureDiff.Change(name: "hello", before: ["2.12"], after: ["2.12.1"]),
            ]
        )
        #expect(!diff.isEmpty)
    }

    @Test func testSeveralVersionsOfOneNameAreComparedAsASortedSet() {
        let diff = ClosureDiff(
            from: nil,
            to: "/nix/store/new",
            before: ["/nix/store/a-python3-3.11.6", "/nix/store/b-python3-3.10.13"],
            after: ["/nix/store/c-python3-3.10.13", "/nix/store/d-python3-3.11.6"]
        )
        #expect(diff.isEmpty)
        #expect(diff.from == nil)
        let changed = ClosureDiff(
            from: nil,
            to: "/nix/store/new",
            before: ["/nix/store/a-python3-3.11.6", "/nix/store/b-python3-3.10.13"],
            after: ["/nix/store/d-python3-3.11.7"]
        )
        #expect(
            changed.changed == [ClosureDiff.Change(name: "python3", before: ["3.10.13", "3.11.6"], after: ["3.11.7"])]
        )
    }

    @Test func testIdenticalAndEmptyClosuresHaveNoChanges() {
        let paths = ["/nix/store/h1-hello-2.12", "/nix/store/h3-foo"]
        #expect(ClosureDiff(from: "/nix/store/x", to: "/nix/store/x", before: paths, after: paths).isEmpty)
        let first = ClosureDiff(from: nil, to: "/nix/store/x", before: [], after: paths)
        #expect(first.added == ["foo", "hello"])
        #expect(first.removed == [])
        #expect(first.changed == [])
    }
}
