import DeployKit
import Testing

@testable import DeployShell

/// Small: deploy-rs's command line becomes the same shell statements a person would type.
@Suite struct OneShotDeployTests {
    @Test func testFlagsBecomeOverridesAndTargetsKeepTheirQuotes() throws {
        let oneShot = OneShotDeploy(
            targets: [#".#"web.example.com".system"#, ".#db"],
            overrides: [("sshUser", "deploy"), ("magicRollback", "false")],
            dryActivate: true
        )
        #expect(
            try oneShot.script() == """
                load '.'
                set sshUser 'deploy'
                set magicRollback 'false'
                check
                deploy --dry-activate '"web.example.com".system' 'db'
                """
        )
    }

    @Test func testNoTargetMeansEveryNodeOfTheFlakeHere() throws {
        let oneShot = OneShotDeploy(targets: [], overrides: [], skipChecks: true, rollbackSucceeded: false)
        #expect(try oneShot.script() == "load '.'\ndeploy --no-rollback-succeeded '*'")
    }

    @Test func testTargetsFromTwoFlakesAreRefused() {
        let oneShot = OneShotDeploy(targets: ["path:/a#web", "path:/b#db"], overrides: [])
        #expect(throws: SelectionError.self) { try oneShot.script() }
    }
}
