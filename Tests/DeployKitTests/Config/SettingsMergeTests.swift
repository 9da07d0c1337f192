import Foundation
import Testing

@testable import DeployKit

@Suite struct SettingsMergeTests {
    @Test func testDefaultsAreDeployRsDefaults() {
        let merged = SettingsMerge.merge(deploy: Settings(), node: Settings(), profile: Settings())
        #expect(merged.sshUser == nil)
        #expect(merged.user == nil)
        #expect(merged.sshOpts == [])
        #expect(merged.fastConnection == false)
        #expect(merged.autoRollback == true)
        #expect(merged.magicRollback == true)
        #expect(merged.confirmTimeout == 30)
        #expect(merged.activationTimeout == 240)
        #expect(merged.tempPath == "/tmp")
        #expect(merged.sudo == "sudo -u")
        #expect(merged.interactiveSudo == false)
        #expect(merged.remoteBuild == false)
        #expect(SettingKey.genericSettings.allSatisfy { merged.source(of: $0) == .default })
    }

    @Test func testHigherLevelsWinAndSourcesSayWhich() {
        let merged = SettingsMerge.merge(
            deploy: Settings(sshUser: "deploy", confirmTimeout: 10, tempPath: "/var/tmp"),
            node: Settings(confirmTimeout: 20, sudo: "doas -u"),
            profile: Settings(confirmTimeout: 30, remoteBuild: true),
            overrides: Settings(tempPath: "/run")
        )
        #expect(merged.sshUser == "deploy")
        #expect(merged.source(of: .sshUser) == .deploy)
        #expect(merged.confirmTimeout == 30)
        #expect(merged.source(of: .confirmTimeout) == .profile)
        #expect(merged.sudo == "doas -u")
        #expect(merged.source(of: .sudo) == .node)
        #expect(merged.tempPath == "/run")
        #expect(merged.source(of: .tempPath) == .override)
        #expect(merged.remoteBuild == true)
        #expect(merged.source(of: .activationTimeout) == .default)
    }

    @Test func testFalseAtAHigherLevelOverridesTrue() {
        let merged = SettingsMerge.merge(
            deploy: Settings(magicRollback: true),
            node: Settings(magicRollback: false),
            profile: Settings()
        )
        #expect(merged.magicRollback == false)
        #expect(merged.source(of: .magicRollback) == .node)
    }

    @Test func testSSHOptsAreConcatenatedProfileThenNodeThenDeploy() {
        let merged = SettingsMerge.merge(
            deploy: Settings(sshOpts: ["-o", "A=1"]),
            node: Settings(sshOpts: ["-p", "2222"]),
            profile: Settings(sshOpts: ["-v"])
        )
        #expect(merged.sshOpts == ["-v", "-p", "2222", "-o", "A=1"])
        #expect(merged.source(of: .sshOpts) == .profile)
    }

    @Test func testSSHOptsSourceIsTheHighestContributingLevel() {
        let merged = SettingsMerge.merge(
            deploy: Settings(sshOpts: ["-o", "A=1"]),
            node: Settings(sshOpts: ["-p", "2222"]),
            profile: Settings(sshOpts: [])
        )
        #expect(merged.sshOpts == ["-p", "2222", "-o", "A=1"])
        #expect(merged.source(of: .sshOpts) == .node)
    }

    @Test func testSSHOptsOverrideReplacesTheFlakesOptions() {
        let merged = SettingsMerge.merge(
            deploy: Settings(sshOpts: ["-o", "A=1"]),
            node: Settings(sshOpts: ["-p", "2222"]),
            profile: Settings(),
            overrides: Settings(sshOpts: ["-p", "22"])
        )
        #expect(merged.sshOpts == ["-p", "22"])
        #expect(merged.source(of: .sshOpts) == .override)
    }

    @Test func testSettingsFromJSONKeepOnlyWellTypedValues() {
        let settings = Settings(json: [
            "sshUser": "deploy", "user": 3, "sshOpts": ["-v", 1], "fastConnection": true,
            "autoRollback": "yes", "confirmTimeout": 45, "activationTimeout": 1.5, "tempPath": nil,
            "hostname": "ignored",
        ])
        #expect(settings == Settings(sshUser: "deploy", fastConnection: true, confirmTimeout: 45))
    }
}

/// The packed sources read, write and encode like a `[SettingKey: SettingLevel]` dictionary.
@Suite struct SettingSourcesTests {
    @Test func testEveryKeyKeepsItsOwnLevel() {
        var sources = SettingSources()
        let levels = SettingLevel.allCases
        for (index, key) in SettingKey.allCases.enumerated() { sources[key] = levels[index % levels.count] }
        for (index, key) in SettingKey.allCases.enumerated() { #expect(sources[key] == levels[index % levels.count]) }
        sources[.sudo] = nil
        #expect(sources[.sudo] == nil)
        #expect(sources[.remoteBuild] == levels[11 % levels.count])
    }

    @Test func testEncodesAsTheDictionaryDid() throws {
        let dictionary: [SettingKey: SettingLevel] = [.sshUser: .node, .hostname: .override, .tempPath: .default]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let packed = try encoder.encode(SettingSources(dictionary))
        #expect(packed == (try encoder.encode(dictionary)))
        #expect(try JSONDecoder().decode(SettingSources.self, from: packed) == SettingSources(dictionary))
    }
}
