import Testing

@testable import DeployKit

@Suite struct DeployConfigTests {
    @Test func testNodesAreSortedByName() throws {
        let config = try ConfigFixtures.config()
        #expect(config.nodeNames == ["db1", "web.example.com", "web1", "web2"])
        #expect(
            config.settings == Settings(sshUser: "deploy", sshOpts: ["-o", "ConnectTimeout=5"], confirmTimeout: 60)
        )
    }

    @Test func testProfilesAreInDeployOrderProfilesOrderFirstThenByName() throws {
        let web1 = try #require(try ConfigFixtures.config().node(named: "web1"))
        #expect(web1.profileNames == ["system", "app", "aaa"])
        #expect(web1.profilesOrder == ["system", "app"])
        #expect(web1.hostname == "10.0.0.1")
        let db1 = try #require(try ConfigFixtures.config().node(named: "db1"))
        #expect(db1.profileNames == ["backup", "system"])
        #expect(db1.profile(named: "backup")?.profilePath == "/srv/backup-profile")
    }

    @Test func testProfilesOrderSkipsMissingAndRepeatedNames() {
        let profiles = [Profile(name: "b"), Profile(name: "a"), Profile(name: "c")]
        let node = Node(name: "n", profilesOrder: ["c", "nope", "c", "b"], profiles: profiles)
        #expect(node.profileNames == ["c", "b", "a"])
    }

    @Test func testWrongTypesAreSkippedSoNodesStillLoad() throws {
        let config = try DeployConfig(json: [
            "confirmTimeout": "soon",
            "nodes": [
                "broken": [1, 2],
                "odd": [
                    "hostname": 7, "profilesOrder": "system",
                    "profiles": ["system": "x", "ok": ["path": "/nix/store/x"]],
                ],
                "noprofiles": ["hostname": "h", "profiles": [1]],
            ],
        ])
        #expect(config.nodeNames == ["noprofiles", "odd"])
        #expect(config.settings.confirmTimeout == nil)
        let odd = try #require(config.node(named: "odd"))
        #expect(odd.hostname == nil)
        #expect(odd.profileNames == ["ok"])
        #expect(odd.profiles.first?.hasPath == true)
        #expect(config.node(named: "noprofiles")?.profiles == [])
    }

    @Test func testHasPathComesFromTheLoadExpressionMarker() throws {
        let config = try DeployConfig(json: [
            "nodes": [
                "n": ["profiles": ["with": ["__deployshHasPath": true], "without": ["__deployshHasPath": false]]]
            ]
        ])
        let node = try #require(config.node(named: "n"))
        #expect(node.profile(named: "with")?.hasPath == true)
        #expect(node.profile(named: "without")?.hasPath == false)
    }

    @Test(
        arguments: [
            (
                JSONValue.array([]), ConfigError.notAnAttributeSet(type: "list"),
                "the flake's 'deploy' output is a list, not an attribute set"
            ),
            (JSONValue.object([:]), .missingNodes, "the flake's 'deploy' output has no 'nodes' attribute"),
            (
                ["nodes": "x"], .nodesNotAnAttributeSet(type: "string"),
                "the flake's 'deploy.nodes' is a string, not an attribute set"
            ),
            (
                JSONValue.null, .notAnAttributeSet(type: "null"),
                "the flake's 'deploy' output is null, not an attribute set"
            ),
        ] as [(JSONValue, ConfigError, String)]
    )
    func testBadShapesAreConfigErrors(json: JSONValue, expected: ConfigError, message: String) {
        #expect(throws: expected) { try DeployConfig(json: json) }
        #expect(expected.message == message)
        #expect(expected.hint != nil)
    }

    @Test func testResolveMergesEveryLevelAndFindsTheProfileLocation() throws {
        let resolved = try ConfigFixtures.config().resolve(node: "web1", profile: "system", localUser: "me")
        #expect(resolved.hostname == "10.0.0.1")
        #expect(resolved.sshDestination == "deploy@10.0.0.1")
        #expect(resolved.profileUser == "root")
        #expect(resolved.usesSudo)
        #expect(resolved.location == .fixed("/nix/var/nix/profiles/system"))
        #expect(resolved.settings.confirmTimeout == 90)
        #expect(resolved.settings.source(of: .confirmTimeout) == .profile)
        #expect(resolved.settings.magicRollback == false)
        #expect(resolved.settings.sshOpts == ["-p", "2222", "-o", "ConnectTimeout=5"])
        #expect(resolved.settings.source(of: .hostname) == .node)
    }

    @Test func testResolveAppliesSessionOverrides() throws {
        var overrides = SessionOverrides()
        try overrides.set("hostname", "127.0.0.9")
        try overrides.set("sshUser", "app")
        let resolved = try ConfigFixtures.config()
            .resolve(node: "web1", profile: "app", overrides: overrides, localUser: "me")
        #expect(resolved.hostname == "127.0.0.9")
        #expect(resolved.sshDestination == "app@127.0.0.9")
        #expect(resolved.usesSudo == false)
        #expect(resolved.location == .perUser(user: "app", name: "app"))
        #expect(resolved.settings.source(of: .hostname) == .override)
        #expect(resolved.settings.source(of: .sshUser) == .override)
    }

    @Test func testResolveWithoutSSHUserConnectsToTheBareHostAndUsesTheLocalUser() throws {
        let config = try DeployConfig(json: ["nodes": ["n": ["profiles": ["home": ["__deployshHasPath": true]]]]])
        let resolved = try config.resolve(node: "n", profile: "home", localUser: "alice")
        #expect(resolved.hostname == "")
        #expect(resolved.sshDestination == "")
        #expect(resolved.profileUser == "alice")
        #expect(resolved.usesSudo == false)
        #expect(resolved.location.displayPath == "/nix/var/nix/profiles/per-user/alice/home")
        #expect(resolved.settings.source(of: .hostname) == .default)
    }

    @Test func testResolveSuggestsNearestNames() throws {
        let config = try ConfigFixtures.config()
        #expect(throws: SelectionError.unknownNode("web3", suggestions: ["web1", "web2"])) {
            try config.resolve(node: "web3", profile: "system", localUser: "me")
        }
        #expect(throws: SelectionError.unknownProfile(node: "web1", profile: "sytem", suggestions: ["system"])) {
            try config.resolve(node: "web1", profile: "sytem", localUser: "me")
        }
    }
}
