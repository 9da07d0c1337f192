import DeployKit
import Foundation
import Testing

@testable import DeployShell

/// Small: `generations` over several nodes shows every node, a failed one with its error.
@Suite struct GenerationsReportTests {
    static let web = ProfileRef(node: "web", profile: "system")
    static let db = ProfileRef(node: "db", profile: "system")

    static func report() -> GenerationsReport {
        let failure = DeployError(
            target: db,
            step: .generations,
            reason: "cannot connect to root@db (node 'db') (exit status 255)",
            hint: "Check that the host is up and reachable, and that `ssh root@db` works.",
            failure: .unreachable
        )
        let generations = [
            Generation(number: 1, storePath: "/nix/store/a-one", isCurrent: false, date: "2026-01-01T00:00:00Z"),
            Generation(number: 2, storePath: "/nix/store/b-two", isCurrent: true, date: "2026-01-02T00:00:00Z"),
        ]
        return GenerationsReport(targets: [
            .init(GenerationsRead(ref: web, result: .success(generations))),
            .init(GenerationsRead(ref: db, result: .failure(failure))),
        ])
    }

    @Test func testAFailedNodeShowsItsErrorBelowTheOthers() {
        #expect(
            Self.report().text(style: .plain) == """
                web.system
                GEN  DATE                  STORE PATH
                  1  2026-01-01T00:00:00Z  /nix/store/a-one
                * 2  2026-01-02T00:00:00Z  /nix/store/b-two

                db.system
                  error: generations failed on db.system: cannot connect to root@db (node 'db') (exit status 255)
                  hint: Check that the host is up and reachable, and that `ssh root@db` works.
                """
        )
        #expect(Self.report().isFailure)
    }

    @Test func testJSONHasTheErrorAndHintOfTheFailedTargetAndOkFalse() throws {
        let data = try JSONEncoder().encode(Self.report())
        let json = try JSONValue.parse(String(decoding: data, as: UTF8.self))
        #expect(json["ok"]?.boolValue == false)
        let targets = json["targets"]?.arrayValue ?? []
        #expect(targets.map { $0["target"]?.stringValue } == ["web.system", "db.system"])
        #expect(targets[0]["error"] == nil)
        #expect(targets[0]["generations"]?.arrayValue?.count == 2)
        #expect(targets[1]["generations"]?.arrayValue?.isEmpty == true)
        #expect(targets[1]["hint"]?.stringValue?.hasPrefix("Check that the host is up") == true)
    }
}
