import Testing

@testable import DeployKit

/// The binary cache's pure parts: URLs, keys, the flake's `binaryCache`, routes and pull failures.
@Suite struct CacheConfigTests {
    static let publicKey = "cache-1:" + String(repeating: "A", count: 43) + "="
    static let secretKey = "cache-1:" + String(repeating: "A", count: 86) + "=="

    @Test func testStoreURLsNixCanWriteAreAcceptedAndOthersNamed() {
        for url in [
            "file:///srv/cache", "http://10.0.0.1:8080", "https://cache.example/x", "ssh-ng://root@h",
            "s3://bucket?region=x",
        ] {
            #expect(StoreURL.problem(with: url) == nil, "\(url)")
        }
        #expect(StoreURL.problem(with: "") == "is empty")
        #expect(StoreURL.problem(with: "cache.example")?.contains("not a store URL") == true)
        #expect(StoreURL.problem(with: "ftp://h")?.contains("'ftp://'") == true)
        #expect(StoreURL.problem(with: "file://srv") == "needs an absolute path (file:///srv/cache)")
        #expect(StoreURL.problem(with: "http://") == "names no host")
        #expect(StoreURL.problem(with: "ssh-ng://-oProxyCommand=x") == "names a host that starts with '-'")
        #expect(StoreURL.problem(with: "http://h/a b") == "contains a blank or a control character")
    }

    @Test func testTheUploadURLSignsAndCompressesWithZstdUnlessTheURLChooses() {
        #expect(StoreURL.uploadURL("http://h", secretKeyFile: "/k") == "http://h?secret-key=/k&compression=zstd")
        #expect(
            StoreURL.uploadURL("file:///c?compression=none", secretKeyFile: "/k")
                == "file:///c?compression=none&secret-key=/k"
        )
        #expect(
            StoreURL.uploadURL("http://h?secret-key=/mine", secretKeyFile: "/k")
                == "http://h?secret-key=/mine&compression=zstd"
        )
        // An ssh store keeps the signatures it is given: no parameters (the paths are signed first).
        #expect(StoreURL.uploadURL("ssh-ng://root@h", secretKeyFile: "/k") == "ssh-ng://root@h")
        #expect(StoreURL.display("http://h?secret-key=/k") == "http://h")
    }

    @Test func testKeysMustBeNixKeysOfTheRightLength() {
        #expect(CacheKey.publicKeyProblem(Self.publicKey) == nil)
        #expect(CacheKey.secretKeyProblem(Self.secretKey) == nil)
        #expect(CacheKey.secretKeyProblem(Self.publicKey)?.contains("not 64 bytes") == true)
        #expect(CacheKey.publicKeyProblem("nocolon")?.contains("NAME:BASE64") == true)
        #expect(CacheKey.publicKeyProblem(":abc")?.contains("NAME:BASE64") == true)
        #expect(CacheKey.publicKeyProblem("k:" + String(repeating: "*", count: 44))?.contains("32 bytes") == true)
    }

    @Test func testANodesBinaryCacheOverridesTheTopLevelFieldByFieldAndFlagsOverrideBoth() throws {
        let config = try DeployConfig(json: [
            "binaryCache": ["pushTo": "http://central", "publicKey": .string(Self.publicKey)],
            "nodes": [
                "eu1": [
                    "hostname": "eu1", "binaryCache": ["pullFrom": "http://eu-mirror"],
                    "profiles": ["p": ["__deployshHasPath": true]],
                ],
                "us1": ["hostname": "us1", "profiles": ["p": ["__deployshHasPath": true]]],
            ],
        ])
        let eu = try config.resolve(node: "eu1", profile: "p", localUser: "root")
        let us = try config.resolve(node: "us1", profile: "p", localUser: "root")
        let options = CacheOptions()
        #expect(
            options.route(for: eu)
                == CacheRoute(
                    pushTo: "http://central",
                    pullFrom: "http://eu-mirror",
                    publicKey: Self.publicKey,
                    fallback: true
                )
        )
        #expect(options.route(for: us)?.pullFrom == "http://central")
        var flags = CacheOptions(fallback: false)
        flags.cache.pushTo = "file:///override"
        #expect(flags.route(for: eu)?.pushTo == "file:///override")
        #expect(flags.route(for: eu)?.pullFrom == "http://eu-mirror")
        #expect(flags.route(for: eu)?.fallback == false)
        // A pullFrom alone: the nodes pull from a cache something else fills; nothing is uploaded.
        var pullOnly = CacheOptions()
        pullOnly.cache.pullFrom = "https://ci-cache"
        let plainUS = try DeployConfig(json: [
            "nodes": ["a": ["hostname": "a", "profiles": ["p": ["__deployshHasPath": true]]]]
        ])
        let onlyPull = pullOnly.route(for: try plainUS.resolve(node: "a", profile: "p", localUser: "root"))
        #expect(onlyPull?.pushTo == nil && onlyPull?.pullFrom == "https://ci-cache")
        // Without any pushTo or pullFrom there is no route: a direct copy.
        let plain = try DeployConfig(json: [
            "nodes": ["a": ["hostname": "a", "profiles": ["p": ["__deployshHasPath": true]]]]
        ])
        #expect(CacheOptions().route(for: try plain.resolve(node: "a", profile: "p", localUser: "root")) == nil)
    }

    @Test func testSchemaCheckerReportsBadBinaryCacheFieldsWithTheirPath() {
        let problems = SchemaChecker.check([
            "binaryCache": ["pushTo": "nope", "publicKey": 3],
            "nodes": ["a": ["hostname": "a", "binaryCache": ["pulFrom": "http://x"], "profiles": [:]]],
        ])
        let byPath = Dictionary(problems.map { ($0.path, $0) }) { first, _ in first }
        #expect(byPath["binaryCache.pushTo"]?.severity == .error)
        #expect(byPath["binaryCache.pushTo"]?.message.contains("not a store URL") == true)
        #expect(byPath["binaryCache.publicKey"]?.message == "expected a string, got integer")
        #expect(byPath["nodes.a.binaryCache.pulFrom"]?.severity == .warning)
        #expect(byPath["nodes.a.binaryCache.pulFrom"]?.message.contains("did you mean 'pullFrom'") == true)
    }

    @Test(arguments: [
        ("warning: ignoring untrusted substituter 'http://c'", "does not let user 'deploy' add the substituter"),
        (
            "warning: the substitute for '/nix/store/x' from 'http://c' is not signed by any of the keys in 'trusted-public-keys'",
            "trusted-public-keys"
        ),
        (
            "warning: unable to download 'http://c/nix-cache-info': Couldn't connect to server (7)",
            "cannot reach http://c"
        ),
        ("error: writing to file: No space left on device", "out of disk space"),
        (
            "error: something else entirely",
            "nix-store --realise failed (exit status 1): error: something else entirely"
        ),
    ])
    func testAFailedPullIsExplainedByItsCause(line: String, expected: String) {
        let result = CommandResult(
            invocation: Invocation("ssh", []),
            status: .exited(1),
            standardOutput: "",
            standardErrorTail: ["this path will be fetched", line],
            duration: .zero
        )
        let failure = PullFailure.reason(result, substituter: "http://c", user: "deploy")
        if expected.hasPrefix("nix-store") {
            #expect(failure.message.hasPrefix("nix-store --realise failed"), "\(failure.message)")
        } else {
            #expect(failure.message.contains(expected), "\(failure.message)")
        }
        #expect(!failure.hint.contains("require-sigs = false"))
    }

    @Test func testBuildersReachOnlyTheLocalBuild() {
        var options = NixOptions()
        options.builders = "ssh://b x86_64-linux"
        options.maxJobs = 0
        let nix = NixCommand(version: .v2_8, options: options)
        let local = nix.build(derivations: ["/nix/store/a.drv"]).arguments
        #expect(local.contains("--builders") && local.contains("--max-jobs"))
        let onNode = nix.build(derivations: ["/nix/store/a.drv"], store: "ssh-ng://n", evalStore: "auto").arguments
        #expect(!onNode.contains("--builders"))
        #expect(!nix.eval(flake: ".", attribute: "deploy", apply: nil).arguments.contains("--builders"))
    }

    @Test func testTheNodesPullTrustsTheKeyAndNeverCachesAMiss() {
        let words = NixCommand.remoteRealiseWords(
            path: "/nix/store/p",
            substituter: "http://c",
            publicKey: Self.publicKey
        )
        #expect(words.starts(with: ["nix-store", "--realise", "/nix/store/p"]))
        #expect(words.contains("extra-substituters") && words.contains("extra-trusted-public-keys"))
        let ttl = words.firstIndex(of: "narinfo-cache-negative-ttl")
        #expect(ttl.map { words[$0 + 1] } == "0")
        #expect(!words.contains("require-sigs"))
    }
}
