import Foundation
import Testing

@testable import DeployKit

/// The exact argv of every ssh command, and the `NIX_SSHOPTS` and wrapper handed to nix.
@Suite struct SSHCommandTests {
    static let shared = SSHCommand(
        options: ["-p", "2222"],
        destination: "deploy@10.0.0.1",
        controlDirectory: "/run/d",
        connectTimeout: 5
    )
    static let unshared = SSHCommand(options: [], destination: "web1", controlDirectory: nil)

    @Test func testRunUsesTheSharedConnectionAndQuotesTheRemoteWordsOnce() {
        let invocation = Self.shared.run(["echo", "it's here"])
        #expect(invocation.executable == "ssh")
        #expect(
            invocation.arguments == [
                "-p", "2222", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=5", "-o",
                "ServerAliveCountMax=6",
                "-o", "ControlMaster=auto", "-o", "ControlPath=/run/d/c-32ff2c968cbfb699", "-o", "ControlPersist=no",
                "--", "deploy@10.0.0.1", #"'echo' 'it'\''s here'"#,
            ]
        )
        #expect(invocation.standardInput == nil)
        #expect(invocation.environment == [:])
    }

    @Test func testRunPassesStandardInputThrough() {
        #expect(Self.shared.run(["cat"], standardInput: "secret\n").standardInput == "secret\n")
    }

    @Test func testRunWithoutControlDirectoryTurnsSharingOff() {
        #expect(
            Self.unshared.run(["true"]).arguments == [
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=5", "-o",
                "ServerAliveCountMax=6",
                "-o", "ControlPath=none", "--", "web1", "'true'",
            ]
        )
    }

    @Test func testRunOnNewConnectionNeverUsesTheSharedConnection() {
        let invocation = Self.shared.runOnNewConnection(["rm", "/tmp/canary"])
        #expect(invocation.executable == "ssh")
        #expect(
            invocation.arguments == [
                "-p", "2222", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=5", "-o",
                "ServerAliveCountMax=6",
                "-o", "ControlMaster=no", "-o", "ControlPath=none",
                "--", "deploy@10.0.0.1", "'rm' '/tmp/canary'",
            ]
        )
        #expect(invocation.arguments.contains("ControlPath=none"))
        #expect(invocation.arguments.contains("ControlMaster=no"))
        #expect(!invocation.arguments.contains { $0.contains("ControlPersist") })
        #expect(!invocation.arguments.contains { $0.hasPrefix("ControlPath=/") })
    }

    @Test func testOpenMasterStartsAForegroundMasterThatLogsToAFile() throws {
        let invocation = try #require(Self.shared.openMaster(logFile: "/run/d/connect.log"))
        #expect(invocation.executable == "ssh")
        #expect(
            invocation.arguments == [
                "-p", "2222", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=5", "-o",
                "ServerAliveCountMax=6",
                "-M", "-N", "-o", "ControlPath=/run/d/c-32ff2c968cbfb699", "-o", "ControlPersist=no",
                "-E", "/run/d/connect.log", "--", "deploy@10.0.0.1",
            ]
        )
        let check = try #require(Self.shared.checkMaster())
        #expect(
            check.arguments.suffix(5) == [
                "ControlPath=/run/d/c-32ff2c968cbfb699", "-O", "check", "--", "deploy@10.0.0.1",
            ]
        )
        #expect(Self.unshared.openMaster(logFile: "/tmp/x.log") == nil)
    }

    @Test func testCloseMasterSendsExitToTheControlSocket() throws {
        let invocation = try #require(Self.shared.closeMaster())
        #expect(invocation.executable == "ssh")
        #expect(
            invocation.arguments == [
                "-p", "2222", "-o", "ControlPath=/run/d/c-32ff2c968cbfb699", "-O", "exit", "--", "deploy@10.0.0.1",
            ]
        )
        #expect(Self.unshared.closeMaster() == nil)
    }

    @Test func testNixSSHOptionsJoinsEveryOptionAndQuotesOnlyWhenNeeded() {
        #expect(
            Self.shared.nixSSHOptions
                == "-p 2222 -o BatchMode=yes -o ConnectTimeout=5 -o ServerAliveInterval=5 -o ServerAliveCountMax=6 -o ControlMaster=auto -o ControlPath=/run/d/c-32ff2c968cbfb699 -o ControlPersist=no"
        )
        var spaced = Self.shared
        spaced.options = ["-o", "ProxyCommand=nc %h 22"]
        #expect(
            spaced.nixSSHOptions
                == "-o 'ProxyCommand=nc %h 22' -o BatchMode=yes -o ConnectTimeout=5 -o ServerAliveInterval=5 -o ServerAliveCountMax=6 -o ControlMaster=auto -o ControlPath=/run/d/c-4fe45fda9bfacf7a -o ControlPersist=no"
        )
        #expect(
            Self.unshared.nixSSHOptions
                == "-o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=5 -o ServerAliveCountMax=6 -o ControlPath=none"
        )
    }

    @Test func testNeedsWrapperForNixOnlyWhenAnOptionHasABlank() {
        #expect(!Self.shared.needsWrapperForNix)
        #expect(!Self.unshared.needsWrapperForNix)
        var spaced = Self.shared
        spaced.options = ["-o", "ProxyCommand=nc %h 22"]
        #expect(spaced.needsWrapperForNix)
        var tabbed = Self.shared
        tabbed.options = ["-o", "User=a\tb"]
        #expect(tabbed.needsWrapperForNix)
        var spacedDirectory = Self.shared
        spacedDirectory.controlDirectory = "/tmp/my dir"
        #expect(spacedDirectory.needsWrapperForNix)
    }

    @Test func testWrapperScriptExecsTheRealSSHWithEveryOptionQuoted() {
        var spaced = Self.shared
        spaced.options = ["-o", "ProxyCommand=nc %h 22"]
        #expect(
            spaced.wrapperScript(realSSH: "/usr/bin/ssh")
                == "#!/bin/sh\nexec '/usr/bin/ssh' '-o' 'ProxyCommand=nc %h 22' '-o' 'BatchMode=yes' '-o' 'ConnectTimeout=5' "
                + "'-o' 'ServerAliveInterval=5' '-o' 'ServerAliveCountMax=6' '-o' 'ControlMaster=auto' '-o' 'ControlPath=/run/d/c-4fe45fda9bfacf7a' '-o' 'ControlPersist=no' \"$@\"\n"
        )
    }

    /// Medium: the wrapper is valid sh (`sh -n`).
    @Test(.timeLimit(.minutes(1)))
    func testWrapperScriptPassesASyntaxCheckOfARealShell() async throws {
        var hostile = Self.shared
        hostile.options = ["-o", "ProxyCommand=sh -c 'nc $0 22' %h", "-i", "/home/it's me/key"]
        let script = hostile.wrapperScript(realSSH: "/usr/bin/ssh")
        let result = try await SubprocessRunner().run(Invocation("/bin/sh", ["-n", "-c", script]))
        #expect(result.status == .exited(0))
        #expect(result.standardErrorTail == [])
    }

    /// Medium: run through a real shell, the wrapper hands the real ssh every option intact, then nix's arguments.
    @Test(.timeLimit(.minutes(1)))
    func testWrapperScriptPassesOptionsAndArgumentsIntact() async throws {
        let directory = NSTemporaryDirectory() + "deploysh-wrapper-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fakeSSH = directory + "/fake ssh"
        try "#!/bin/sh\nfor a; do printf '[%s]' \"$a\"; done\n".write(
            toFile: fakeSSH,
            atomically: true,
            encoding: .utf8
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeSSH)
        var hostile = Self.shared
        hostile.options = ["-o", "ProxyCommand=sh -c 'nc $0 22' %h"]
        let wrapper = directory + "/ssh"
        try hostile.wrapperScript(realSSH: fakeSSH).write(toFile: wrapper, atomically: true, encoding: .utf8)
        let result = try await SubprocessRunner().run(Invocation("/bin/sh", [wrapper, "root@h", "nix-daemon --stdio"]))
        #expect(result.status == .exited(0))
        #expect(
            result.standardOutput
                == "[-o][ProxyCommand=sh -c 'nc $0 22' %h][-o][BatchMode=yes][-o][ConnectTimeout=5]"
                + "[-o][ServerAliveInterval=5][-o][ServerAliveCountMax=6][-o][ControlMaster=auto]"
                + "[-o][ControlPath=/run/d/c-fa8ca3b9fb1cec3b][-o][ControlPersist=no][root@h][nix-daemon --stdio]"
        )
    }

    @Test func testTheDestinationFollowsDoubleDashInEverySSHCommand() throws {
        var hostile = Self.shared
        hostile.destination = "-oProxyCommand=touch PWNED"
        let commands = [
            hostile.run(["true"]), hostile.runOnNewConnection(["true"]),
            try #require(hostile.openMaster(logFile: "/run/d/l")), try #require(hostile.closeMaster()),
        ]
        for command in commands {
            let dashes = try #require(command.arguments.firstIndex(of: "--"), "\(command.arguments)")
            #expect(command.arguments[dashes + 1] == "-oProxyCommand=touch PWNED")
        }
    }

    @Test func testKeepalivesAreAddedUnlessTheUsersOptionsSetThem() {
        #expect(Self.unshared.run(["true"]).arguments.contains("ServerAliveInterval=5"))
        #expect(Self.unshared.run(["true"]).arguments.contains("ServerAliveCountMax=6"))
        for own in [["-o", "ServerAliveInterval=60"], ["-oserveraliveinterval 60"], ["-o", "ServerAliveInterval 60"]] {
            var custom = Self.unshared
            custom.options = own
            let arguments = custom.run(["true"]).arguments
            #expect(!arguments.contains("ServerAliveInterval=5"), "\(own)")
            #expect(arguments.contains("ServerAliveCountMax=6"), "\(own)")
        }
    }

    /// Medium: a real ssh given a destination that looks like an option runs nothing locally,
    /// in every form deploysh uses, `openMaster` included.
    @Test(.timeLimit(.minutes(1)))
    func testARealSSHNeverReadsTheDestinationAsAnOption() async throws {
        let directory = NSTemporaryDirectory() + "deploysh-pwned-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let marker = directory + "/PWNED"
        var hostile = SSHCommand(
            options: ["-F", "/dev/null"],
            destination: "-oProxyCommand=touch \(marker)",
            controlDirectory: directory,
            connectTimeout: 3
        )
        var invocations = [hostile.run(["true"]), hostile.runOnNewConnection(["true"])]
        invocations.append(try #require(hostile.openMaster(logFile: directory + "/log")))
        hostile.controlDirectory = nil
        invocations.append(hostile.run(["true"]))
        for var invocation in invocations {
            invocation.executable = "/usr/bin/ssh"  // an absolute path: no PATH lookup shared with other tests
            let result = try await SubprocessRunner().run(invocation)
            #expect(!result.succeeded)
            #expect(!FileManager.default.fileExists(atPath: marker), "\(invocation.arguments)")
        }
    }

    @Test func testHostKeyCheckingIsNeverTurnedOff() throws {
        let commands = [
            Self.shared.run(["true"]), Self.shared.runOnNewConnection(["true"]),
            try #require(Self.shared.openMaster(logFile: "/run/d/l")),
        ]
        for command in commands {
            let words = command.arguments.joined(separator: " ") + " " + Self.shared.nixSSHOptions
            #expect(!words.contains("StrictHostKeyChecking"))
            #expect(!words.contains("UserKnownHostsFile"))
            #expect(command.arguments.contains("BatchMode=yes"))
        }
    }
}

/// The shared connection's socket name: chosen by deploysh so it can wait for the file.
@Suite struct ControlSocketNameTests {
    @Test func testOneHostWithTheSameOptionsHasOneSocketAndOthersTheirOwn() throws {
        let web = SSHCommand(options: ["-p", "22"], destination: "root@web", controlDirectory: "/run/d")
        let again = SSHCommand(options: ["-p", "22"], destination: "root@web", controlDirectory: "/run/d")
        let otherPort = SSHCommand(options: ["-p", "2222"], destination: "root@web", controlDirectory: "/run/d")
        let otherHost = SSHCommand(options: ["-p", "22"], destination: "root@db", controlDirectory: "/run/d")
        let socket = try #require(web.controlPath)
        #expect(socket == again.controlPath)
        #expect(socket != otherPort.controlPath)
        #expect(socket != otherHost.controlPath)
        #expect(socket.hasPrefix("/run/d/c-") && socket.count == "/run/d/c-".count + 16)
        #expect(SSHCommand(options: [], destination: "web", controlDirectory: nil).controlPath == nil)
    }

    @Test func testEveryCommandOfOneHostUsesTheMastersSocket() throws {
        let web = SSHCommand(options: ["-p", "2222"], destination: "deploy@web", controlDirectory: "/run/d")
        let socket = "ControlPath=" + (try #require(web.controlPath))
        #expect(try #require(web.openMaster(logFile: "/run/d/log")).arguments.contains(socket))
        #expect(try #require(web.checkMaster()).arguments.contains(socket))
        #expect(try #require(web.closeMaster()).arguments.contains(socket))
        #expect(web.sharingOptions.contains(socket))
    }
}
