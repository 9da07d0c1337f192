import Testing

@testable import DeployKit

@Suite struct HealthCheckTests {
    private func problems(_ deploy: JSONValue) -> [String] {
        SchemaChecker.check(deploy).map { "\($0.severity.rawValue): \($0)" }
    }

    private func deploy(profile: JSONValue = [:], node: JSONValue = [:], top: JSONValue = [:]) -> JSONValue {
        var profileObject: JSONObject = ["path": "/nix/store/x"]
        for (key, value) in profile.objectValue ?? [:] { profileObject[key] = value }
        var nodeObject: JSONObject = ["hostname": "10.0.0.1", "profiles": ["system": .object(profileObject)]]
        for (key, value) in node.objectValue ?? [:] { nodeObject[key] = value }
        var topObject: JSONObject = ["nodes": ["web": .object(nodeObject)]]
        for (key, value) in top.objectValue ?? [:] { topObject[key] = value }
        return .object(topObject)
    }

    @Test func testEachKindIsReadWithItsDefaults() throws {
        let cmd = try #require(HealthCheck(json: ["cmd": ["systemctl", "is-active", "nginx"]]))
        #expect(cmd.kind == .cmd(["systemctl", "is-active", "nginx"]))
        #expect(cmd.name == "cmd systemctl is-active nginx")
        #expect(cmd.period == 1 && cmd.timeout == 5)
        let http = try #require(
            HealthCheck(json: [
                "http": "http://{hostname}:8080/health", "name": "web", "expectStatus": [200, 204],
                "expectBody": "ok", "headers": ["Host": "a"], "insecure": true, "period": 0.5, "timeout": 2,
            ])
        )
        #expect(http.kind == .http("http://{hostname}:8080/health"))
        #expect(http.name == "web" && http.expectStatus == [200, 204] && http.expectBody == "ok")
        #expect(http.headers == [.init(name: "Host", value: "a")] && http.insecure && http.period == 0.5)
        let tcp = try #require(HealthCheck(json: ["tcp": "{hostname}:5432", "expectStatus": 201]))
        #expect(tcp.kind == .tcp("{hostname}:5432") && tcp.expectStatus == [201])
    }

    @Test func testMalformedChecksAreDroppedWhenRead() {
        #expect(HealthCheck(json: ["cmd": ["a"], "http": "http://x/"]) == nil)
        #expect(HealthCheck(json: ["name": "x"]) == nil)
        #expect(HealthCheck(json: ["cmd": "systemctl"]) == nil)
        #expect(HealthCheck(json: ["http": "ftp://x/"]) == nil)
        #expect(HealthCheck(json: ["tcp": "host"]) == nil)
        #expect(HealthCheck(json: ["tcp": "host:1", "period": -1]) == nil)
    }

    @Test func testURLsAndAddressesResolveTheHostname() throws {
        let url = try #require(HealthURL("http://{hostname}:8080/health?x=1", hostname: "127.0.0.2"))
        #expect(url.host == "127.0.0.2" && url.port == 8080 && url.path == "/health?x=1" && !url.isHTTPS)
        #expect(HealthURL("https://example.com")?.port == 443)
        #expect(HealthURL("https://example.com")?.path == "/")
        #expect(HealthURL("http://[::1]:81/")?.host == "::1")
        #expect(HealthURL("http://:80/") == nil)
        #expect(HealthURL("http://a b/") == nil)
        #expect(HealthURL("http://host:99999/") == nil)
        #expect(HealthAddress("{hostname}:5432", hostname: "db")?.host == "db")
        #expect(HealthAddress("{hostname}:5432", hostname: "db")?.port == 5432)
        #expect(HealthAddress("host:") == nil)
        #expect(HealthAddress("-oProxy:22") == nil)
    }

    @Test func testAListAtAHigherLevelReplacesTheLowerOne() throws {
        let json = deploy(
            profile: ["healthChecks": [["tcp": "{hostname}:80"]], "healthSoak": 5],
            node: ["healthChecks": [["cmd": ["true"]], ["cmd": ["false"]]], "preDeployChecks": [["cmd": ["x"]]]],
            top: ["healthTimeout": 30, "preDeployChecks": [["cmd": ["y"]], ["cmd": ["z"]]]]
        )
        let config = try DeployConfig(json: json)
        let node = try #require(config.node(named: "web"))
        let merged = SettingsMerge.merge(
            deploy: config.settings,
            node: node.settings,
            profile: node.profiles[0].settings
        )
        #expect(merged.health.checks.map(\.kind) == [.tcp("{hostname}:80")])
        #expect(merged.health.preDeployChecks.map(\.kind) == [.cmd(["x"])])
        #expect(merged.health.timeout == 30 && merged.health.soak == 5)
        let defaults = SettingsMerge.merge(deploy: Settings(), node: Settings(), profile: Settings())
        #expect(defaults.health == HealthSettings(checks: [], preDeployChecks: [], timeout: 60, soak: 0))
    }

    @Test func testWellFormedChecksTagsAndRolloutPassTheSchema() {
        let json = deploy(
            profile: ["healthChecks": [["http": "http://{hostname}:8080/", "expectStatus": 200]]],
            node: ["tags": ["web", "canary"], "healthSoak": 3],
            top: ["rollout": ["batches": [1, "25%", "100%"], "maxFailures": "10%", "onFailure": "halt"]]
        )
        #expect(problems(json) == [])
    }

    @Test func testBadChecksAreErrorsNamingTheAttribute() {
        let json = deploy(profile: [
            "healthChecks": [
                ["cmd": ["a"], "http": "http://x/"],
                ["name": "nothing"],
                ["cmd": "systemctl is-active"],
                ["http": "htp://x"],
                ["tcp": "db"],
                ["tcp": "db:1", "period": -1, "timout": 3],
                "x",
            ]
        ])
        #expect(
            problems(json) == [
                "error: nodes.web.profiles.system.healthChecks.0: a check has exactly one kind, this one has 'cmd' and 'http'",
                "error: nodes.web.profiles.system.healthChecks.1: a check needs exactly one of 'cmd', 'http' or 'tcp'",
                "error: nodes.web.profiles.system.healthChecks.2.cmd: expected a list of strings, got string",
                "error: nodes.web.profiles.system.healthChecks.3.http: malformed URL 'htp://x'; expected http://HOST[:PORT]/PATH or https://…",
                "error: nodes.web.profiles.system.healthChecks.4.tcp: malformed address 'db'; expected HOST:PORT, e.g. {hostname}:5432",
                "error: nodes.web.profiles.system.healthChecks.5.period: expected a non-negative number of seconds, got -1",
                "error: nodes.web.profiles.system.healthChecks.5.timout: unknown attribute of a check; did you mean 'timeout'?",
                "error: nodes.web.profiles.system.healthChecks.6: expected an attribute set, got string",
            ]
        )
    }

    @Test func testBadTagsTimeoutsAndRolloutAreErrors() {
        let json = deploy(
            node: ["tags": ["web", 1], "healthTimeout": -1],
            top: ["rollout": ["batches": ["150%"]], "healthSok": 1]
        )
        #expect(
            problems(json) == [
                "warning: healthSok: unknown attribute; did you mean 'healthSoak'?",
                "error: rollout: rollout.batches '150%': a percentage must be from 1% to 100%, not 150%",
                "error: nodes.web.healthTimeout: expected a non-negative integer, got -1",
                "error: nodes.web.tags: item 2 is an integer, not a string",
            ]
        )
    }
}
