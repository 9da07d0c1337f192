import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large: `deploysh deploy`'s command line, parsed and run against real sshd + Nix nodes.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(4)))
@MainActor
struct OneShotDeployTests {
    /// Parses `arguments` as the command line would, runs the request, and returns the
    /// summary's target rows (`node.profile`, in the order deployed).
    static func deploy(
        _ arguments: [String],
        in shell: TestShell,
        ask: DeployRequest.Question? = nil
    ) async throws -> [String] {
        let request = try DeployArguments.request(parsing: arguments)
        let report = try await request.run(in: shell.session, ask: ask)
        let json = try JSONValue.parse(JSONRenderer.line(report))
        #expect(json["ok"]?.boolValue == true, "\(shell.takeErrors())")
        return json["targets"]?.arrayValue?.compactMap { $0["target"]?.stringValue } ?? []
    }

    /// A flake whose `web` hostname is read from the environment (so it needs `--impure`) and
    /// whose settings carry no ssh options (so only `--ssh-opts` can reach the node).
    static func writeFlake(_ fixture: DeployFixture, checks: String = "{ }") throws -> String {
        let testbed = fixture.testbed
        let directory = try TestEnvironment.temporaryDirectory("oneshot")
        let text = """
            {
              outputs = { self }: {
                checks.\(FlakeFixtures.system) = \(checks);
                deploy = {
                  sshUser = "root";
                  user = "root";
                  confirmTimeout = 20;
                  nodes = {
                    web = { hostname = builtins.getEnv "DEPLOYSH_WEB_HOST"; profiles.system.path = \(fixture.profile("web")); };
                    "db:1" = { hostname = \(FlakeFixtures.nixString(testbed.address(2))); profiles.system.path = \(fixture.profile("db1")); };
                    db = {
                      hostname = \(FlakeFixtures.nixString(testbed.address(2)));
                      profiles.other = { profilePath = "/nix/var/nix/profiles/other"; path = \(fixture.profile("db")); };
                    };
                  };
                };
              };
            }
            """
        try text.write(to: directory.appendingPathComponent("flake.nix"), atomically: true, encoding: .utf8)
        return "path:" + directory.path
    }

    static func shell(for testbed: Testbed) -> TestShell {
        var environment = TestEnvironment.nixEnvironment
        environment["DEPLOYSH_WEB_HOST"] = testbed.address(1)
        return TestShell(runner: SubprocessRunner(environment: environment))
    }

    @Test func testTargetsSSHOptsAndExtraNixArgumentsReachTheDeploy() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try Self.writeFlake(fixture)
            let shell = Self.shell(for: testbed)
            let results = try TestEnvironment.temporaryDirectory("results").path
            let sshOpts = "-F \(testbed.sshConfig) -o 'ServerAliveInterval 5'"

            // Given order (web before db:1, unlike deploy order); `db:1` is one node, not a flake.
            let deployed = try await Self.deploy(
                ["--targets", "\(flake)#web.system", "\(flake)#\"db:1\".system", "--ssh-opts", sshOpts]
                    + ["-k", "-r", results, "--", "--impure"],
                in: shell
            )
            #expect(deployed == ["web.system", "db:1.system"])
            #expect(fixture.activations(of: "web") == ["/nix/var/nix/profiles/system 0 0"])
            #expect(fixture.activations(of: "db1") == ["/nix/var/nix/profiles/system 0 0"])
            #expect(fixture.activations(of: "db").isEmpty)
            let web = try #require(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system"))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: results + "/web/system") == web)
            #expect(FileManager.default.fileExists(atPath: results + "/db:1/system"))
        }
    }

    @Test func testANodeNamedWithAColonDeploysOnlyThatNode() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let flake = try Self.writeFlake(fixture)
            let shell = Self.shell(for: testbed)
            let deployed = try await Self.deploy(
                ["\(flake)#\"db:1\"", "--ssh-opts=-F \(testbed.sshConfig)", "--", "--impure"],
                in: shell
            )
            #expect(deployed == ["db:1.system"])
            #expect(fixture.activations(of: "db1").count == 1)
            #expect(fixture.activations(of: "web").isEmpty)
            #expect(fixture.activations(of: "db").isEmpty)

            // Without --impure the web node has no hostname: the extra arguments were what made it work.
            await #expect(throws: (any Error).self) {
                _ = try await Self.deploy(["\(flake)#web", "--ssh-opts=-F \(testbed.sshConfig)"], in: shell)
            }
            #expect(fixture.activations(of: "web").isEmpty)

            // -i: the plan and diff are shown, and "no" deploys nothing.
            _ = shell.takeOutput()
            await #expect(throws: DeploymentError.declined) {
                _ = try await Self.deploy(
                    ["\(flake)#web", "-i", "--ssh-opts=-F \(testbed.sshConfig)", "--", "--impure"],
                    in: shell,
                    ask: { _ in false }
                )
            }
            let shown = shell.takeOutput()
            #expect(shown.contains("web.system: (no current profile) ->"), "\(shown)")
            #expect(fixture.activations(of: "web").isEmpty)
            await #expect(throws: DeployRequestError.interactiveWithoutTerminal) {
                _ = try await Self.deploy(["\(flake)#web", "-i", "--", "--impure"], in: shell, ask: nil)
            }
        }
    }

    /// deploy-rs allows targets from several flakes: each target is planned from its own flake,
    /// and two flakes that both define a node `n1` stay two targets on their own hosts.
    @Test func testTargetsOfTwoFlakesWithTheSameNodeNameDeployEachFromItsOwnFlake() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let first = try fixture.write(nodes: [("n1", 1, "{ system.path = \(fixture.profile("first")); }")])
            let second = try fixture.write(nodes: [("n1", 2, "{ system.path = \(fixture.profile("second")); }")])
            let shell = Self.shell(for: testbed)
            let deployed = try await Self.deploy(["-s", "--targets", "\(first)#n1", "\(second)#n1"], in: shell)
            #expect(deployed == ["\(first)#n1.system", "\(second)#n1.system"])
            #expect(fixture.activations(of: "first") == ["/nix/var/nix/profiles/system 0 0"])
            #expect(fixture.activations(of: "second") == ["/nix/var/nix/profiles/system 0 0"])
            let onFirst = try #require(testbed.profileTarget(node: 1, profile: "/nix/var/nix/profiles/system"))
            let onSecond = try #require(testbed.profileTarget(node: 2, profile: "/nix/var/nix/profiles/system"))
            #expect(onFirst.hasSuffix("first-\(fixture.nonce)"))
            #expect(onSecond.hasSuffix("second-\(fixture.nonce)"))
        }
    }

    @Test func testFailingFlakeChecksRefuseTheDeployUnlessSkipped() async throws {
        try await withTestbed(nodes: 2) { testbed in
            let fixture = try DeployFixture(testbed: testbed)
            let failing = """
                { broken = builtins.derivation { name = "broken-check-\(fixture.nonce)"; system = \(FlakeFixtures.nixString(FlakeFixtures.system)); builder = "/bin/sh"; args = [ "-c" "echo check-failed-on-purpose >&2; exit 1" ]; }; }
                """
            let flake = try Self.writeFlake(fixture, checks: failing)
            let shell = Self.shell(for: testbed)
            let arguments = ["\(flake)#\"db:1\".system", "--ssh-opts", "-F \(testbed.sshConfig)", "--", "--impure"]
            do {
                _ = try await Self.deploy(arguments, in: shell)
                Issue.record("a flake whose checks fail was deployed")
            } catch let failure as CommandFailure {
                #expect(failure.message.contains("nix flake check failed for '\(flake)'"))
                #expect(failure.details.first?.contains("flake check \(flake) --impure") == true)
                #expect(
                    failure.details.contains { $0.contains("check-failed-on-purpose") || $0.contains("broken-check") }
                )
            }
            #expect(fixture.activations(of: "db1").isEmpty)
            #expect(try await Self.deploy(["-s"] + arguments, in: shell) == ["db:1.system"])
            #expect(fixture.activations(of: "db1").count == 1)
        }
    }
}
