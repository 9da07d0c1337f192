import Testing

@testable import DeployKit

@Suite struct ProfilePathTests {
    @Test(
        arguments: [
            ("system", nil, "root", ProfileLocation.fixed("/nix/var/nix/profiles/system")),
            ("app", nil, "root", .fixed("/nix/var/nix/profiles/per-user/root/app")),
            ("system", nil, "alice", .perUser(user: "alice", name: "system")),
            ("app", "/srv/profiles/app", "root", .explicit("/srv/profiles/app")),
            ("app", "/srv/profiles/app", "alice", .explicit("/srv/profiles/app")),
        ] as [(String, String?, String, ProfileLocation)]
    )
    func testLocationFollowsDeployRsRules(name: String, profilePath: String?, user: String, expected: ProfileLocation) {
        #expect(ProfilePath.location(profileName: name, profilePath: profilePath, profileUser: user) == expected)
    }

    @Test func testPerUserLocationShowsThePerUserPathAndKnowsTheFallback() {
        let location = ProfileLocation.perUser(user: "alice", name: "home")
        #expect(location.displayPath == "/nix/var/nix/profiles/per-user/alice/home")
        #expect(location.fallbackPath == "${XDG_STATE_HOME:-$HOME/.local/state}/nix/profiles/home")
        #expect(ProfileLocation.fixed("/x").fallbackPath == nil)
    }

    @Test(
        arguments: [
            ("app", "deploy", "app"), (nil, "deploy", "deploy"), (nil, nil, "me"),
        ] as [(String?, String?, String)]
    )
    func testProfileUserIsUserThenSSHUserThenLocalUser(user: String?, sshUser: String?, expected: String) {
        #expect(ProfilePath.profileUser(user: user, sshUser: sshUser, localUser: "me") == expected)
    }

    @Test(arguments: [
        ("/nix/var/nix/profiles/./system", "/nix/var/nix/profiles/system"),
        ("/nix//var/nix/profiles/system/", "/nix/var/nix/profiles/system"),
        ("/srv/p", "/srv/p"),
    ])
    func testProfilePathIsNormalisedBeforeUse(written: String, used: String) {
        #expect(
            ProfilePath.location(profileName: "system", profilePath: written, profileUser: "root") == .explicit(used)
        )
    }
}
