import DeployKit
import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Large (real nix, no nodes): selections far beyond one command-line argument.
@Suite(.tags(.large), .serialized, .timeLimit(.minutes(3)))
@MainActor
struct ScaleTests {
    /// A flake of `nodes` nodes with 3 profiles each (derivations built by /bin/sh, never built here).
    static func bigFlake(nodes: Int) throws -> String {
        let directory = try TestEnvironment.temporaryDirectory("big")
        let text = """
            { outputs = { self }: let
              mk = name: builtins.derivation { inherit name; system = \(FlakeFixtures.nixString(FlakeFixtures.system)); builder = "/bin/sh"; args = [ "-c" "mkdir $out" ]; };
              node = i: { name = "node${toString i}"; value = {
                hostname = "10.0.${toString (i / 250)}.${toString (i - (i / 250) * 250 + 1)}";
                profilesOrder = [ "system" ];
                profiles = {
                  system = { path = mk "system-${toString i}"; };
                  app = { path = mk "app-${toString i}"; user = "app"; };
                  monitoring = { path = mk "mon-${toString i}"; };
                }; }; };
            in { deploy = { sshUser = "root"; nodes = builtins.listToAttrs (builtins.genList node \(nodes)); }; }; }
            """
        try text.write(to: directory.appendingPathComponent("flake.nix"), atomically: true, encoding: .utf8)
        return "path:" + directory.path
    }

    @Test func testPlanOfThreeThousandSelectedProfilesSucceeds() async throws {
        let flake = try Self.bigFlake(nodes: 1000)
        let shell = TestShell(json: true)
        // 3000 profiles: the inline --apply text would be ~200 KiB, over Linux's 128 KiB per argument.
        #expect(await shell.run("load \(flake); select '*'; plan") == .success, "\(shell.takeErrors())")
        let plan = try #require(try shell.takeJSONLines().last)
        let rows = plan["targets"]?.arrayValue ?? []
        #expect(rows.count == 3000)
        #expect(rows.first?["node"]?.stringValue == "node0")
        #expect(rows.first?["profile"]?.stringValue == "system")
        #expect(rows.first?["storePath"]?.stringValue?.hasSuffix("-system-0") == true)
        #expect(rows.last?["storePath"]?.stringValue?.hasSuffix("-mon-999") == true)
        // No runtime file is left behind once the plan is made.
        let runtime = shell.session.environment.runtimeDirectory
        let left = (try? FileManager.default.contentsOfDirectory(atPath: runtime)) ?? []
        #expect(left.filter { $0.hasPrefix("selection-") }.isEmpty)
    }

    @Test func testPlanOfAFewProfilesNeverEvaluatesTheOthers() async throws {
        let directory = try TestEnvironment.temporaryDirectory("partial")
        let text = """
            { outputs = { self }: { deploy = { nodes = {
              a = { hostname = "a"; profiles.good.path = "/nix/store/00000000000000000000000000000000-good"; };
              b = { hostname = "b"; profiles.broken.path = throw "never evaluate me"; };
            }; }; }; }
            """
        try text.write(to: directory.appendingPathComponent("flake.nix"), atomically: true, encoding: .utf8)
        let shell = TestShell(json: true)
        #expect(await shell.run("load path:\(directory.path); plan a") == .success, "\(shell.takeErrors())")
    }
}
