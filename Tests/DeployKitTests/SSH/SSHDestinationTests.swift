import DeployTestSupport
import Foundation
import Testing

@testable import DeployKit

/// The destination check that runs right before ssh, whatever the flake's load said.
@Suite struct SSHDestinationTests {
    static func profile(host: String, sshUser: String?, user: String? = nil) -> ResolvedProfile {
        var settings = EffectiveSettings.defaults
        settings.sshUser = sshUser
        settings.user = user
        settings.sources[.sshUser] = sshUser == nil ? .default : .node
        settings.sources[.hostname] = .node
        return ResolvedProfile(
            node: "web",
            profile: "system",
            hostname: host,
            settings: settings,
            sshDestination: "\(sshUser ?? "me")@\(host)",
            profileUser: user ?? sshUser ?? "me",
            usesSudo: false,
            location: .fixed("/nix/var/nix/profiles/system")
        )
    }

    static let remote = RemoteSession(runner: RecordingRunner(), controlDirectory: "/nonexistent/deploysh-test")

    @Test(arguments: ["web1", "10.0.0.1", "deploy", "web.example.com", "fe80::1", "é"])
    func testPlainNamesAreAccepted(name: String) {
        #expect(SSHDestination.problem(with: name) == nil)
    }

    @Test(arguments: ["", "-oProxyCommand=x", "-", "a b", "a\tb", "a\nb", "a\u{1b}b", "a\0b", "a\u{85}b"])
    func testOptionsBlanksAndControlCharactersAreRefused(name: String) {
        #expect(SSHDestination.problem(with: name) != nil)
    }

    @Test func testAHostileHostIsRefusedBeforeSSHNamingTheAttribute() async throws {
        let runner = RecordingRunner()
        let remote = RemoteSession(runner: runner, controlDirectory: "/nonexistent/deploysh-test")
        let profile = Self.profile(host: "-oProxyCommand=touch PWNED", sshUser: "root")
        await #expect(
            throws: DestinationError.unsafe(
                attribute: "deploy.nodes.web.hostname",
                value: "-oProxyCommand=touch PWNED",
                problem: "starts with '-', so ssh would read it as an option"
            )
        ) { try await remote.connect(profile) }
        #expect(throws: DestinationError.self) { try remote.nixEnvironment(for: profile) }
        #expect(runner.invocations.isEmpty)
    }

    @Test func testAHostileSSHUserIsRefusedBeforeSSHNamingTheAttribute() async throws {
        let profile = Self.profile(host: "h", sshUser: "-oProxyCommand=touch PWNED")
        #expect(
            throws: DestinationError.refusedUser(
                attribute: "deploy.nodes.web.sshUser",
                value: "-oProxyCommand=touch PWNED",
                problem: "starts with '-', so ssh would read it as an option"
            )
        ) { try Self.remote.destination(for: profile) }
    }

    @Test func testAUserThatWouldLeaveTheProfilesDirectoryIsRefusedBeforeSSHWithWhy() async throws {
        let runner = RecordingRunner()
        let remote = RemoteSession(runner: runner, controlDirectory: "/nonexistent/deploysh-test")
        let profile = Self.profile(host: "h", sshUser: "root", user: "../../tmp")
        var settings = profile.settings
        settings.sources[.user] = .profile
        let refused = ResolvedProfile(
            node: profile.node,
            profile: profile.profile,
            hostname: profile.hostname,
            settings: settings,
            sshDestination: profile.sshDestination,
            profileUser: profile.profileUser,
            usesSudo: false,
            location: profile.location
        )
        let error = DestinationError.refusedUser(
            attribute: "deploy.nodes.web.profiles.system.user",
            value: "../../tmp",
            problem: "contains '/', so it would reach another directory on the target"
        )
        await #expect(throws: error) { try await remote.connect(refused) }
        #expect(runner.invocations.isEmpty)
        #expect(
            error.message
                == "deploy.nodes.web.profiles.system.user '../../tmp' contains '/', so it would reach another directory "
                + "on the target; deploysh does not deploy this node with it"
        )
        #expect(
            error.hint
                == "deploysh refuses a user that ssh could read as an option or that would leave the profiles "
                + "directory on the target (/nix/var/nix/profiles/per-user/USER); set a plain user name in the flake."
        )
    }

    @Test func testNeitherUserNorSSHUserIsRefusedAsDeployRsDoes() throws {
        #expect(throws: DestinationError.noUser(node: "web", profile: "system")) {
            try Self.remote.destination(for: Self.profile(host: "h", sshUser: nil))
        }
        let withUser = try Self.remote.destination(for: Self.profile(host: "h", sshUser: nil, user: "app"))
        #expect(withUser.description == "app@h")
        #expect(
            DestinationError.noUser(node: "web", profile: "system").message
                == "neither 'user' nor 'sshUser' is set for profile 'system' of node 'web'"
        )
    }
}
