import Testing

@testable import DeployKit

@Suite struct SessionOverridesTests {
    @Test(arguments: ["true", "yes", "on", "1", "TRUE", "Yes"])
    func testTruthyWordsSetBooleansToTrue(word: String) throws {
        var overrides = SessionOverrides()
        try overrides.set("remoteBuild", word)
        #expect(overrides.settings.remoteBuild == true)
    }

    @Test(arguments: ["false", "no", "off", "0", "Off"])
    func testFalsyWordsSetBooleansToFalse(word: String) throws {
        var overrides = SessionOverrides()
        try overrides.set("magicRollback", word)
        #expect(overrides.settings.magicRollback == false)
    }

    @Test func testEveryKindOfValueIsParsed() throws {
        var overrides = SessionOverrides()
        try overrides.set("confirmTimeout", "90")
        try overrides.set("sshOpts", " -p 2222\t-o  Foo=bar ")
        try overrides.set("sshUser", "admin")
        try overrides.set("hostname", "10.1.1.1")
        #expect(overrides.settings.confirmTimeout == 90)
        #expect(overrides.settings.sshOpts == ["-p", "2222", "-o", "Foo=bar"])
        #expect(overrides.settings.sshUser == "admin")
        #expect(overrides.hostname == "10.1.1.1")
    }

    @Test func testEntriesAreInKeyOrderWithHostnameLast() throws {
        var overrides = SessionOverrides()
        try overrides.set("hostname", "h")
        try overrides.set("sshOpts", "-p 22")
        try overrides.set("sshUser", "u")
        try overrides.set("autoRollback", "no")
        let entries = overrides.entries.map { "\($0.0.rawValue)=\($0.1)" }
        #expect(entries == ["sshUser=u", "sshOpts=-p 22", "autoRollback=false", "hostname=h"])
    }

    @Test func testUnsetRemovesAnOverride() throws {
        var overrides = SessionOverrides()
        try overrides.set("tempPath", "/run")
        try overrides.set("hostname", "h")
        try overrides.unset("tempPath")
        try overrides.unset("hostname")
        try overrides.unset("sudo")
        #expect(overrides.isEmpty)
    }

    @Test(arguments: [
        ("confirmTimeout", "soon", "setting 'confirmTimeout' expects an integer, not 'soon'"),
        ("activationTimeout", "-5", "setting 'activationTimeout' expects an integer, not '-5'"),
        ("confirmTimeout", "1.5", "setting 'confirmTimeout' expects an integer, not '1.5'"),
        ("magicRollback", "maybe", "setting 'magicRollback' expects a boolean (true or false), not 'maybe'"),
        ("sshUser", "", "setting 'sshUser' expects a string, not ''"),
    ])
    func testBadValuesAreReportedVerbatim(key: String, value: String, message: String) {
        var overrides = SessionOverrides()
        #expect(throws: SettingError.self) { try overrides.set(key, value) }
        do {
            try overrides.set(key, value)
        } catch {
            #expect(error.message == message)
        }
        #expect(overrides.isEmpty)
    }

    @Test func testBadValueHintGivesAnExample() {
        let error = SettingError.badValue(key: .confirmTimeout, value: "soon")
        #expect(error.hint == "For example: `set confirmTimeout 30`.")
    }

    @Test func testUnknownKeySuggestsTheNearestSetting() {
        var overrides = SessionOverrides()
        #expect(throws: SettingError.unknownKey("sshuser", suggestions: ["sshUser"])) {
            try overrides.set("sshuser", "x")
        }
        let error = SettingError.unknownKey("confirmTimout", suggestions: ["confirmTimeout"])
        #expect(error.message == "no setting named 'confirmTimout'")
        #expect(error.hint == "Did you mean 'confirmTimeout'? Run `set` to list settings.")
    }

    @Test func testUnknownKeyWithoutSuggestionsStillPointsAtSet() {
        var overrides = SessionOverrides()
        #expect(throws: SettingError.unknownKey("colour", suggestions: [])) { try overrides.unset("colour") }
        #expect(SettingError.unknownKey("colour", suggestions: []).hint == "Run `set` to list settings.")
    }

    @Test func testExpectedTypesAreNamed() {
        #expect(SettingKey.allCases.last == .hostname)
        #expect(SettingKey.sshOpts.expectedType == "list of strings")
        #expect(SettingKey.sshOpts.expectedTypeDescription == "a list of strings")
        #expect(SettingKey.tempPath.expectedTypeDescription == "a string")
        #expect(SettingKey.confirmTimeout.expectedType == "integer")
        #expect(SettingKey.fastConnection.expectedType == "boolean")
    }

    @Test(arguments: [
        ("hostname", "-oProxyCommand=touch PWNED", "starts with '-', so ssh would read it as an option"),
        ("sshUser", "-oProxyCommand=touch PWNED", "starts with '-', so ssh would read it as an option"),
        ("hostname", "a b", "contains a blank or a control character"),
        ("user", "../x", "contains '/', so it would reach another directory on the target"),
        ("sshUser", "a/b", "contains '/', so it would reach another directory on the target"),
    ])
    func testUnsafeHostsAndUsersAreRefusedBySet(key: String, value: String, problem: String) throws {
        var overrides = SessionOverrides()
        let settingKey = try #require(SettingKey(rawValue: key))
        #expect(throws: SettingError.unsafeValue(key: settingKey, value: value, problem: problem)) {
            try overrides.set(key, value)
        }
        #expect(overrides.isEmpty)
        let error = SettingError.unsafeValue(key: settingKey, value: value, problem: problem)
        #expect(error.message == "setting '\(key)' '\(value)' \(problem)")
    }
}
