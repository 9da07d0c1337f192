import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Medium: real files in a temporary state directory (never the developer's home).
@Suite struct TranscriptStoreTests {
    @Test func testTheDirectoryIsPrivateAndEachFileIsCreatedExclusivelyWith0600() throws {
        let state = try TestEnvironment.temporaryDirectory("state").path + "/deep/deploysh"
        let store = TranscriptStore(stateDirectory: state)
        let transcript = try store.create()
        transcript.append(TranscriptLine(.start, time: 1))
        let directory = try FileManager.default.attributesOfItem(atPath: store.directory)
        let file = try FileManager.default.attributesOfItem(atPath: transcript.path)
        #expect((directory[.posixPermissions] as? Int) == 0o700)
        #expect((file[.posixPermissions] as? Int) == 0o600)
        #expect(transcript.id.wholeMatch(of: /\d{8}T\d{6}Z-[0-9a-f]{6}/) != nil, "\(transcript.id)")
        #expect(try store.read(transcript.id).map(\.type) == [.start])
    }

    @Test func testAPlantedLinkIsNeverFollowed() throws {
        let store = TranscriptStore(stateDirectory: try TestEnvironment.temporaryDirectory("state").path)
        let first = try store.create()
        let victim = try TestEnvironment.temporaryDirectory("victim").path + "/file"
        _ = FileManager.default.createFile(atPath: victim, contents: Data("keep".utf8))
        try FileManager.default.removeItem(atPath: first.path)
        try FileManager.default.createSymbolicLink(atPath: first.path, withDestinationPath: victim)
        // Opening the same name again must fail rather than write through the link.
        let fd = open(first.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW, 0o600)
        #expect(fd == -1)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
    }

    @Test func testOnlyTheNewestSessionsAreKept() throws {
        var store = TranscriptStore(stateDirectory: try TestEnvironment.temporaryDirectory("state").path)
        store.keepSessions = 3
        var ids: [String] = []
        for second in 0..<5 {
            let transcript = try store.create(now: 1_800_000_000 + Double(second))
            ids.append(transcript.id)
        }
        #expect(store.ids() == Array(ids.suffix(3)))
    }

    @Test func testTheSizeBoundDropsOldSessionsButNeverTheCurrentOne() throws {
        var store = TranscriptStore(stateDirectory: try TestEnvironment.temporaryDirectory("state").path)
        store.keepBytes = 1000
        let old = try store.create(now: 1_800_000_000)
        var line = TranscriptLine(.command, time: 1)
        line.text = String(repeating: "x", count: 700)
        old.append(line)
        let current = try store.create(now: 1_800_000_001)
        current.append(line)
        current.append(line)
        store.prune(keeping: current.id)
        #expect(store.ids() == [current.id])
    }

    @Test func testALineCutByAKillIsSkippedAndTheRestIsRead() throws {
        let store = TranscriptStore(stateDirectory: try TestEnvironment.temporaryDirectory("state").path)
        let transcript = try store.create()
        transcript.append(TranscriptLine(.start, time: 1))
        let handle = try #require(FileHandle(forWritingAtPath: transcript.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"type":"comm"#.utf8))
        try handle.close()
        #expect(try store.read(transcript.id).map(\.type) == [.start])
    }

    @Test func testBoundsComeFromTheEnvironment() {
        let store = TranscriptStore(
            stateDirectory: "/s",
            environment: ["DEPLOYSH_TRANSCRIPT_SESSIONS": "7", "DEPLOYSH_TRANSCRIPT_MB": "2"]
        )
        #expect(store.keepSessions == 7 && store.keepBytes == 2 << 20)
        #expect(TranscriptStore(stateDirectory: "/s").keepSessions == 100)
        #expect(!TranscriptStore(stateDirectory: "/s", environment: ["DEPLOYSH_TRANSCRIPT_SESSIONS": "0"]).isEnabled)
    }
}
