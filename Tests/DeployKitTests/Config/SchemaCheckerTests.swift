import Testing

@testable import DeployKit

@Suite struct SchemaCheckerTests {
    private func problems(_ deploy: JSONValue) -> [String] {
        SchemaChecker.check(deploy).map { "\($0.severity.rawValue): \($0)" }
    }

    @Test func testAWellFormedOutputHasNoProblems() {
        #expect(problems(ConfigFixtures.fleet) == [])
    }

    @Test func testAnEmptyHostnameLoadsAndAnOptionLikeOneDoesNot() {
        let empty: JSONValue = [
            "sshUser": "root", "nodes": ["web": ["hostname": "", "profiles": ["p": ["path": "/x"]]]],
        ]
        #expect(problems(empty) == [])
        let dash: JSONValue = [
            "sshUser": "root", "nodes": ["web": ["hostname": "-oX", "profiles": ["p": ["path": "/x"]]]],
        ]
        #expect(problems(dash).count == 1)
    }

    @Test func testTheOutputMustBeAnAttributeSetWithNodes() {
        #expect(problems([1]) == ["error: deploy: expected an attribute set, got list"])
        #expect(problems(["sshUser": "x"]) == ["error: deploy: missing required attribute 'nodes'"])
        #expect(problems(["nodes": [1]]) == ["error: nodes: expected an attribute set, got list"])
    }

    @Test func testRequiredNodeAndProfileAttributesAreReported() {
        let deploy: JSONValue = [
            "nodes": [
                "web": ["profiles": ["system": ["__deployshHasPath": false], "home": ["path": "/nix/store/x"]]],
                "db": ["hostname": "h"],
            ]
        ]
        #expect(
            problems(deploy) == [
                "error: nodes.db: missing required attribute 'profiles'",
                "error: nodes.web: missing required attribute 'hostname'",
                "error: nodes.web.profiles.system: missing required attribute 'path'",
            ]
        )
    }

    @Test func testSettingTypesAreCheckedAtEveryLevel() {
        let deploy: JSONValue = [
            "fastConnection": "yes",
            "sshUser": nil,
            "nodes": [
                "web": [
                    "hostname": 3,
                    "confirmTimeout": "soon",
                    "activationTimeout": -1,
                    "sshOpts": ["-p", 22],
                    "profiles": [
                        "system": [
                            "__deployshHasPath": true, "autoRollback": 1, "profilePath": false, "tempPath": 1.5,
                        ],
                        "bad": "not a profile",
                    ],
                ]
            ],
        ]
        #expect(
            problems(deploy) == [
                "error: fastConnection: expected a boolean, got string",
                "error: nodes.web.activationTimeout: expected a non-negative integer, got -1",
                "error: nodes.web.confirmTimeout: expected an integer, got string",
                "error: nodes.web.hostname: expected a string, got integer",
                "error: nodes.web.sshOpts: item 2 is an integer, not a string",
                "error: nodes.web.profiles.bad: expected an attribute set, got string",
                "error: nodes.web.profiles.system.autoRollback: expected a boolean, got integer",
                "error: nodes.web.profiles.system.profilePath: expected a string, got boolean",
                "error: nodes.web.profiles.system.tempPath: expected a string, got float",
            ]
        )
    }

    @Test(
        arguments: [
            (JSONValue.array(["sytem"]), "nodes.web.profilesOrder: 'sytem' is not a profile of node 'web'"),
            (["system", "system"], "nodes.web.profilesOrder: 'system' is listed more than once"),
            (["system", 1], "nodes.web.profilesOrder: item 2 is an integer, not a string"),
            ("system", "nodes.web.profilesOrder: expected a list of strings, got string"),
        ] as [(JSONValue, String)]
    )
    func testProfilesOrderMustNameExistingProfiles(order: JSONValue, expected: String) {
        let deploy: JSONValue = [
            "nodes": ["web": ["hostname": "h", "profilesOrder": order, "profiles": ["system": ["path": "/x"]]]]
        ]
        #expect(SchemaChecker.check(deploy).map(\.description) == [expected])
    }

    @Test func testUnknownAttributesAreWarningsWithSuggestions() {
        let deploy: JSONValue = [
            "node": [:],
            "nodes": [
                "web": [
                    "hostnme": "h", "hostname": "h", "colour": "red",
                    "profiles": ["system": ["path": "/x", "profilepath": "/y"]],
                ]
            ],
        ]
        #expect(
            problems(deploy) == [
                "warning: node: unknown attribute; did you mean 'nodes'?",
                "warning: nodes.web.colour: unknown attribute",
                "warning: nodes.web.hostnme: unknown attribute; did you mean 'hostname'?",
                "warning: nodes.web.profiles.system.profilepath: unknown attribute; did you mean 'profilePath'?",
            ]
        )
    }

    @Test func testNamesWithDotsAreQuotedInPaths() {
        let deploy: JSONValue = [
            "nodes": ["web.example.com": ["hostname": "h", "profiles": ["system": ["__deployshHasPath": false]]]]
        ]
        #expect(
            SchemaChecker.check(deploy).map(\.description) == [
                #"nodes."web.example.com".profiles.system: missing required attribute 'path'"#
            ]
        )
    }

    @Test func testCheckReportsUnsafeHostsUsersAndNamesAsErrors() {
        let deploy: JSONValue = [
            "sshUser": "-oProxyCommand=x",
            "nodes": [
                "web": [
                    "hostname": "-oProxyCommand=touch PWNED", "user": "a/b",
                    "profiles": ["..": ["path": "/x"], "ok": ["path": "/x", "profilePath": "relative/p"]],
                ],
                "db": 5,
            ],
        ]
        #expect(
            problems(deploy) == [
                "error: sshUser: '-oProxyCommand=x' starts with '-', so ssh would read it as an option; "
                    + "deploysh does not deploy a node with it",
                "error: nodes.db: expected an attribute set, got integer",
                "error: nodes.web.hostname: '-oProxyCommand=touch PWNED' starts with '-', so ssh would read it as an option",
                "error: nodes.web.user: 'a/b' contains '/', so it would reach another directory on the target; "
                    + "deploysh does not deploy a node with it",
                #"error: nodes.web.profiles."..": profile name '..' is '..', which names a directory on the target"#,
                "error: nodes.web.profiles.ok.profilePath: 'relative/p' is not an absolute path",
            ]
        )
    }
}
