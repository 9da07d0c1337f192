import DeployTestSupport
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

    @Test func testWhatDeployRsRefusesIsRefusedWithEveryAttributePath() throws {
        let deploy: JSONValue = [
            "confirmTimeout": "soon",
            "nodes": [
                "broken": 5,
                "odd": [
                    "hostname": "h", "profilesOrder": "system",
                    "profiles": ["system": 5, "ok": ["path": "/nix/store/x"]],
                ],
            ],
        ]
        let expected = ConfigError.invalid(
            [
                SchemaProblem(path: "confirmTimeout", severity: .error, message: "expected an integer, got string"),
                SchemaProblem(
                    path: "nodes.broken",
                    severity: .error,
                    message: "expected an attribute set, got integer"
                ),
                SchemaProblem(
                    path: "nodes.odd.profilesOrder",
                    severity: .error,
                    message: "expected a list of strings, got string"
                ),
                SchemaProblem(
                    path: "nodes.odd.profiles.system",
                    severity: .error,
                    message: "expected an attribute set, got integer"
                ),
            ],
            warnings: []
        )
        #expect(throws: expected) { try DeployConfig(json: deploy) }
        #expect(expected.message == "deploy.confirmTimeout: expected an integer, got string (and 3 more)")
        #expect(
            expected.details == [
                "deploy.nodes.broken: expected an attribute set, got integer",
                "deploy.nodes.odd.profilesOrder: expected a list of strings, got string",
                "deploy.nodes.odd.profiles.system: expected an attribute set, got integer",
            ]
        )
    }

    @Test func testARefusedOutputShowsItsWarningsWithTheErrors() throws {
        let deploy: JSONValue = [
            "nodes": ["web": ["hostnme": "h", "confirmTimeout": "soon", "profiles": ["p": ["path": "/nix/store/x"]]]]
        ]
        do {
            _ = try DeployConfig(json: deploy)
            Issue.record("the output was accepted")
        } catch {
            #expect(error.message == "deploy.nodes.web: missing required attribute 'hostname' (and 1 more)")
            #expect(
                error.details == [
                    "deploy.nodes.web.confirmTimeout: expected an integer, got string",
                    "warning: deploy.nodes.web.hostnme: unknown attribute; did you mean 'hostname'?",
                ]
            )
        }
        let typo = ConfigError.missingNodes(
            warnings: [
                SchemaProblem(path: "nodse", severity: .warning, message: "unknown attribute; did you mean 'nodes'?")
            ]
        )
        #expect(throws: typo) { try DeployConfig(json: ["nodse": ["web": ["hostname": "h"]]]) }
        #expect(typo.message == "the flake's 'deploy' output has no 'nodes' attribute")
        #expect(typo.details == ["warning: deploy.nodse: unknown attribute; did you mean 'nodes'?"])
    }

    @Test func testUnknownAttributesStillLoad() throws {
        let config = try DeployConfig(json: [
            "sshUsr": "x", "nodes": ["n": ["hostname": "h", "profiles": ["p": ["path": "/nix/store/x"]]]],
        ])
        #expect(config.nodeNames == ["n"])
    }

    @Test(arguments: [
        (
            ["hostname": "-oProxyCommand=touch PWNED"] as [String: JSONValue],
            "deploy.nodes.web.hostname: '-oProxyCommand=touch PWNED' starts with '-', so ssh would read it as an option"
        ),
        (["hostname": "h x"], "deploy.nodes.web.hostname: 'h x' contains a blank or a control character"),
        (
            ["hostname": "h\u{1b}]0;x"],
            "deploy.nodes.web.hostname: 'h\\x1b]0;x' contains a blank or a control character"
        ),
        (["hostname": "h", "sshOpts": nil], "deploy.nodes.web.sshOpts: expected a list of strings, got null"),
    ])
    func testUnsafeDestinationsAreRefusedAtLoad(node: [String: JSONValue], message: String) throws {
        var attributes = node
        attributes["profiles"] = ["system": ["path": "/nix/store/x"]]
        let deploy: JSONValue = ["nodes": ["web": .object(JSONObject(attributes))]]
        #expect(throws: (any Error).self) { try DeployConfig(json: deploy) }
        do {
            _ = try DeployConfig(json: deploy)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test(arguments: [
        ("sshUser", "-oProxyCommand=touch PWNED", "starts with '-', so ssh would read it as an option"),
        ("sshUser", "a b", "contains a blank or a control character"),
        ("user", "../../tmp", "contains '/', so it would reach another directory on the target"),
        ("user", "..", "is '..', which names a directory on the target"),
    ])
    func testUnsafeUsersLoadAndRefuseOnlyDeployingTheirNode(key: String, value: String, problem: String) throws {
        let deploy: JSONValue = [
            "sshUser": "root",
            "nodes": [
                "ok": ["hostname": "h1", "profiles": ["system": ["path": "/nix/store/x"]]],
                "web": ["hostname": "h2", key: .string(value), "profiles": ["system": ["path": "/nix/store/x"]]],
            ],
        ]
        let config = try DeployConfig(json: deploy)
        #expect(config.nodeNames == ["ok", "web"])
        let problems = SchemaChecker.check(deploy)
        #expect(
            problems.map(\.description) == [
                "nodes.web.\(key): \(DisplayText.quoted(value)) \(problem); deploysh does not deploy a node with it"
            ]
        )
        #expect(problems.allSatisfy { $0.severity == .error && !$0.refusesOutput })
        let remote = RemoteSession(runner: RecordingRunner(), controlDirectory: "/nonexistent/deploysh-test")
        _ = try remote.destination(for: config.resolve(node: "ok", profile: "system", localUser: "me"))
        #expect(
            throws: DestinationError.refusedUser(attribute: "deploy.nodes.web.\(key)", value: value, problem: problem)
        ) { try remote.destination(for: config.resolve(node: "web", profile: "system", localUser: "me")) }
    }

    @Test(arguments: [
        ("../../../../tmp/escaped", "contains '/', so it would reach another directory on the target"),
        ("..", "is '..', which names a directory on the target"),
        ("a\0b", "contains a control character"),
        ("-rf", "starts with '-', so commands on the target would read it as an option"),
    ])
    func testProfileNamesThatEscapeTheProfilesDirectoryAreRefused(name: String, problem: String) throws {
        let deploy: JSONValue = ["nodes": ["web": ["hostname": "h", "profiles": [name: ["path": "/nix/store/x"]]]]]
        do {
            _ = try DeployConfig(json: deploy)
            Issue.record("\(name) was accepted")
        } catch {
            let path = "deploy.nodes.web.profiles." + ProfileRef.quotedIfNeeded(name)
            #expect(error.message == "\(path): profile name \(DisplayText.quoted(name)) \(problem)")
        }
    }

    @Test func testHasPathComesFromTheLoadExpressionMarker() throws {
        let config = try DeployConfig(json: [
            "nodes": [
                "n": ["hostname": "h", "profiles": ["with": ["__deployshHasPath": true], "also": ["path": "/x"]]]
            ]
        ])
        let node = try #require(config.node(named: "n"))
        #expect(node.profile(named: "with")?.hasPath == true)
        #expect(node.profile(named: "also")?.hasPath == true)
        #expect(Profile(name: "without", json: ["__deployshHasPath": false]).hasPath == false)
    }

    @Test(
        arguments: [
            (
                JSONValue.array([]), ConfigError.notAnAttributeSet(type: "list"),
                "the flake's 'deploy' output is a list, not an attribute set"
            ),
            (
                JSONValue.object([:]), .missingNodes(warnings: []),
                "the flake's 'deploy' output has no 'nodes' attribute"
            ),
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

    @Test func testResolveWithoutSSHUserConnectsAsTheLocalUserAsDeployRsDoes() throws {
        let config = DeployConfig(nodes: [Node(name: "n", hostname: "h", profiles: [Profile(name: "home")])])
        let resolved = try config.resolve(node: "n", profile: "home", localUser: "alice")
        #expect(resolved.hostname == "h")
        #expect(resolved.sshDestination == "alice@h")
        #expect(resolved.profileUser == "alice")
        #expect(resolved.usesSudo == false)
        #expect(resolved.location.displayPath == "/nix/var/nix/profiles/per-user/alice/home")
        #expect(resolved.settings.source(of: .hostname) == .node)
        let hostless = DeployConfig(nodes: [Node(name: "n", profiles: [Profile(name: "home")])])
        #expect(try hostless.resolve(node: "n", profile: "home", localUser: "alice").sshDestination == "")
    }

    @Test func testResolveWithoutHostnameLeavesTheDestinationEmpty() throws {
        let config = DeployConfig(nodes: [Node(name: "n", profiles: [Profile(name: "home")])])
        let resolved = try config.resolve(node: "n", profile: "home", localUser: "alice")
        #expect(resolved.hostname == "")
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

    @Test func testNamesDifferingOnlyInUnicodeNormalFormStayApart() throws {
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        let deploy = try JSONValue.parse(
            """
            {"nodes": {"\(nfc)": {"hostname": "nfc.example", "profiles": {"system": {"path": "/nix/store/a"}}},
                       "\(nfd)": {"hostname": "nfd.example", "profiles": {"system": {"path": "/nix/store/b"}}}}}
            """
        )
        let config = try DeployConfig(json: deploy)
        #expect(config.nodes.count == 2)
        #expect(config.node(named: nfc)?.hostname == "nfc.example")
        #expect(config.node(named: nfd)?.hostname == "nfd.example")
        #expect(try config.resolve(node: nfd, profile: "system", localUser: "me").hostname == "nfd.example")
        let selected = try Selector.resolve([TargetPattern(node: nfd)], in: config)
        #expect(selected.count == 1)
        #expect(selected.first.map { ExactName.same($0.node, nfd) } == true)
        #expect(ProfileRef(node: nfc, profile: "system") != ProfileRef(node: nfd, profile: "system"))
        #expect(Set([ProfileRef(node: nfc, profile: "s"), ProfileRef(node: nfd, profile: "s")]).count == 2)
        #expect(!Glob(nfc).matches(nfd))
    }
}

/// deploy-rs's profile order: `profilesOrder` first (existing names, once), then the rest by bytes.
@Suite struct DeployOrderTests {
    static func names(_ profiles: [String], order: [String]) -> [String] {
        Node.deployOrder(profiles.map { Profile(name: $0) }, order: order).map(\.name)
    }

    @Test func testOrderedNamesComeFirstThenTheRestByBytes() {
        #expect(Self.names(["c", "a", "b"], order: []) == ["a", "b", "c"])
        #expect(Self.names(["c", "a", "b"], order: ["c"]) == ["c", "a", "b"])
        #expect(Self.names(["c", "a", "b"], order: ["b", "missing", "b", "a"]) == ["b", "a", "c"])
        #expect(Self.names(["a", "b"], order: ["b"]) == ["b", "a"])
        #expect(Self.names(["B", "a", "_"], order: []) == ["B", "_", "a"])
    }

    @Test func testOfTwoProfilesWithOneNameTheFirstGivenIsKept() {
        let profiles = [
            Profile(name: "x", profilePath: "/first"), Profile(name: "a"), Profile(name: "x", profilePath: "/second"),
        ]
        let ordered = Node.deployOrder(profiles, order: [])
        #expect(ordered.map(\.name) == ["a", "x"])
        #expect(ordered.last?.profilePath == "/first")
    }

    @Test func testNamesInOtherNormalFormsStayApart() {
        let nfc = "caf\u{E9}"
        let nfd = "cafe\u{301}"
        #expect(Self.names([nfc, nfd], order: [nfc]) == [nfc, nfd])
        #expect(Self.names([nfc, nfd], order: []) == [nfd, nfc])
    }
}
