import DeployKit
import Testing

@testable import DeployShell

/// Small: how one status read and the flake's store path become a drift row.
@Suite struct DriftReportTests {
    static let ref = ProfileRef(node: "web", profile: "system")

    static func row(_ status: ProfileStatus, expected: String = "/nix/store/a") -> DriftReport.Row {
        DriftReport.Row(ProfileStatusRead(ref: ref, result: .success(status)), expected: expected)
    }

    @Test func testEachStateFromWhatTheNodeSays() {
        #expect(Self.row(ProfileStatus(storePath: "/nix/store/a", generation: 2, pending: [])).state == "up to date")
        #expect(Self.row(ProfileStatus(storePath: "/nix/store/b", generation: 3, pending: [])).state == "drifted")
        #expect(
            Self.row(ProfileStatus(storePath: "/nix/store/a", generation: 3, pending: ["ab"])).state
                == "pending confirm"
        )
        #expect(Self.row(ProfileStatus(storePath: nil, generation: nil, pending: [])).state == "no generation")
        let drifted = Self.row(ProfileStatus(storePath: "/nix/store/b", generation: 3, pending: []))
        #expect(drifted.detail == "running /nix/store/b, flake says /nix/store/a")
    }

    @Test func testTheReportFailsUnlessEveryTargetIsUpToDate() {
        let good = Self.row(ProfileStatus(storePath: "/nix/store/a", generation: 2, pending: []))
        let bad = Self.row(ProfileStatus(storePath: nil, generation: nil, pending: []))
        #expect(!DriftReport(targets: [good]).isFailure)
        #expect(DriftReport(targets: [good, bad]).isFailure)
        #expect(
            DriftReport(targets: [good, bad]).text(style: .plain) == """
                drift: 1 no generation, 1 up to date
                TARGET      STATE          GEN  DETAIL
                web.system  up to date     2    /nix/store/a
                web.system  no generation  -    the profile does not exist; flake says /nix/store/a
                """
        )
    }
}
