import DeployShell
import DeployTestSupport
import Foundation
import Testing

/// Medium: the private runtime directory on the real file system.
@Suite struct RuntimeDirectoryTests {
    private func base(mode: Int) throws -> String {
        let directory = try TestEnvironment.temporaryDirectory("runtime").path
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: directory)
        return directory
    }

    private func attributes(_ path: String) throws -> (mode: Int, owner: UInt32) {
        var info = stat()
        try #require(lstat(path, &info) == 0)
        return (Int(info.st_mode & 0o7777), info.st_uid)
    }

    @Test func testTheDirectoryIsPrivateUnpredictableAndUnderTheBase() throws {
        let base = try base(mode: 0o700)
        let first = try RuntimeDirectory.create(under: base)
        let second = try RuntimeDirectory.create(under: base)
        #expect(first != second)
        #expect(first.hasPrefix(base + "/deploysh-"))
        #expect(!first.hasSuffix("XXXXXX"))
        #expect(try attributes(first).mode == 0o700)
        #expect(try attributes(first).owner == geteuid())
    }

    @Test func testRemovingTakesAnEmptyOrAFilledDirectory() throws {
        let base = try base(mode: 0o700)
        let empty = try RuntimeDirectory.create(under: base)
        RuntimeDirectory.remove(empty)
        #expect(!FileManager.default.fileExists(atPath: empty))
        let filled = try RuntimeDirectory.create(under: base)
        try FileManager.default.createDirectory(atPath: filled + "/ssh/bin-c-1", withIntermediateDirectories: true)
        try "x".write(toFile: filled + "/ssh/bin-c-1/ssh", atomically: false, encoding: .utf8)
        RuntimeDirectory.remove(filled)
        #expect(!FileManager.default.fileExists(atPath: filled))
    }

    @Test func testASharedStickyBaseSuchAsTmpIsAccepted() throws {
        let path = try RuntimeDirectory.create(under: base(mode: 0o1777))
        #expect(try attributes(path).mode == 0o700)
    }

    @Test func testABaseOthersCanWriteIsRefused() throws {
        let base = try base(mode: 0o777)
        #expect(
            throws: RuntimeDirectoryError.unsafeBase(path: base, problem: "is writable by other users (mode 777)")
        ) { try RuntimeDirectory.create(under: base) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: base).isEmpty)
    }

    @Test func testABasePlantedByAnotherUserIsRefused() throws {
        try #require(geteuid() == 0, "needs root to give the base to another user")
        let base = try base(mode: 0o755)
        try #require(chown(base, 65534, 65534) == 0)
        #expect(
            throws: RuntimeDirectoryError.unsafeBase(
                path: base,
                problem: "is owned by another user (uid 65534, mode 755)"
            )
        ) { try RuntimeDirectory.create(under: base) }
    }

    @Test func testTheBaseIsXDGRuntimeDirThenTMPDIRThenTmp() {
        #expect(
            RuntimeDirectory.base(environment: ["XDG_RUNTIME_DIR": "/run/user/1", "TMPDIR": "/t"]) == "/run/user/1"
        )
        #expect(RuntimeDirectory.base(environment: ["XDG_RUNTIME_DIR": "", "TMPDIR": "/t/"]) == "/t")
        #expect(RuntimeDirectory.base(environment: [:]) == "/tmp")
    }
}

/// Medium: a script file that cannot be used says why (missing, a directory, binary, not UTF-8).
@Suite(.tags(.medium)) struct ScriptFileTests {
    @Test func testEachUnusableScriptSaysWhatItIs() throws {
        let directory = try TestEnvironment.temporaryDirectory("scripts")
        let binary = directory.appendingPathComponent("binary.dsh").path
        let latin1 = directory.appendingPathComponent("latin1.dsh").path
        let text = directory.appendingPathComponent("ok.dsh").path
        try Data([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]).write(to: URL(fileURLWithPath: binary))
        try Data([0x65, 0x63, 0x68, 0x6f, 0x20, 0xe9, 0x0a]).write(to: URL(fileURLWithPath: latin1))
        try "echo hi\n".write(toFile: text, atomically: true, encoding: .utf8)
        func reason(_ path: String) -> String {
            do {
                _ = try ScriptFile.read(path)
                return "read"
            } catch {
                return error.message
            }
        }
        #expect(reason(directory.path + "/missing.dsh") == "cannot read '\(directory.path)/missing.dsh': no such file")
        #expect(reason(directory.path) == "cannot read '\(directory.path)': it is a directory")
        #expect(reason(binary) == "cannot read '\(binary)': it is a binary file, not a script (it contains NUL bytes)")
        #expect(reason(latin1) == "cannot read '\(latin1)': it is not UTF-8 text")
        #expect(try ScriptFile.read(text) == "echo hi\n")
    }
}
