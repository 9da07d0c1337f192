import Testing

@testable import DeployKit

/// The exact argv of every nix command, on the old (2.8) and the new (>= 2.15) CLI.
@Suite struct NixCommandTests {
    static let old = NixCommand(version: .v2_8)
    static let new = NixCommand(version: NixVersion(2, 18, 1))
    static let flags = ["--extra-experimental-features", "nix-command flakes"]

    @Test func testEvalWithAndWithoutApply() {
        let plain = Self.old.eval(flake: "path:/srv/fleet", attribute: "deploy.nodes", apply: nil)
        #expect(plain.executable == "nix")
        #expect(plain.arguments == Self.flags + ["eval", "--json", "path:/srv/fleet#deploy.nodes"])
        let applied = Self.old.eval(flake: "path:/srv/fleet", attribute: "deploy", apply: "d: builtins.attrNames d")
        #expect(
            applied.arguments == Self.flags + [
                "eval", "--json", "path:/srv/fleet#deploy", "--apply", "d: builtins.attrNames d",
            ]
        )
        #expect(applied.environment == [:])
    }

    @Test func testBuildIsOneInvocationForEveryDerivation() {
        let build = Self.old.build(derivations: ["/nix/store/a-x.drv", "/nix/store/b-y.drv"])
        #expect(build.executable == "nix")
        #expect(build.arguments == Self.flags + ["build", "--no-link", "/nix/store/a-x.drv", "/nix/store/b-y.drv"])
    }

    @Test func testBuildWritesOutputSpecOnlyFromNix215() {
        let build = Self.new.build(derivations: ["/nix/store/a-x.drv", "/nix/store/b-y.drv"])
        #expect(
            build.arguments == Self.flags + ["build", "--no-link", "/nix/store/a-x.drv^out", "/nix/store/b-y.drv^out"]
        )
        #expect(Self.old.installable(forDerivation: "/nix/store/a-x.drv") == "/nix/store/a-x.drv")
        #expect(Self.new.installable(forDerivation: "/nix/store/a-x.drv") == "/nix/store/a-x.drv^out")
    }

    @Test func testBuildOnAnotherStore() {
        let build = Self.old.build(derivations: ["/nix/store/a-x.drv"], store: "ssh-ng://root@h", evalStore: "auto")
        #expect(
            build.arguments == Self.flags + [
                "build", "--no-link", "--eval-store", "auto", "--store", "ssh-ng://root@h", "/nix/store/a-x.drv",
            ]
        )
    }

    @Test func testCopySubstitutesOnDestinationUnlessToldNot() {
        let copy = Self.old.copy(
            paths: ["/nix/store/abc-system", "/nix/store/def-app"],
            to: "ssh://root@h",
            substituteOnDestination: true,
            sshOptions: "-p 2222"
        )
        #expect(copy.executable == "nix")
        #expect(
            copy.arguments == Self.flags + [
                "copy", "--no-check-sigs", "--substitute-on-destination", "--to", "ssh://root@h",
                "/nix/store/abc-system", "/nix/store/def-app",
            ]
        )
        #expect(copy.environment == ["NIX_SSHOPTS": "-p 2222"])
        let fast = Self.old.copy(
            paths: ["/nix/store/abc-system"],
            to: "ssh://h",
            substituteOnDestination: false,
            sshOptions: nil
        )
        #expect(fast.arguments == Self.flags + ["copy", "--no-check-sigs", "--to", "ssh://h", "/nix/store/abc-system"])
        #expect(fast.environment == [:])
    }

    @Test func testCopyOfDerivations() {
        let copy = Self.new.copy(
            paths: ["/nix/store/a-x.drv"],
            to: "ssh-ng://root@h",
            derivation: true,
            substituteOnDestination: true,
            sshOptions: ""
        )
        #expect(
            copy.arguments == Self.flags + [
                "copy", "--no-check-sigs", "--derivation", "--substitute-on-destination", "--to", "ssh-ng://root@h",
                "/nix/store/a-x.drv",
            ]
        )
        #expect(copy.environment == ["NIX_SSHOPTS": ""])
    }

    @Test func testFlakeCheckAndPathInfo() {
        #expect(
            Self.old.flakeCheck(flake: "path:/srv/fleet").arguments == Self.flags + [
                "flake", "check", "path:/srv/fleet",
            ]
        )
        #expect(
            Self.old.pathInfo(paths: ["/nix/store/a"]).arguments == Self.flags + [
                "path-info", "--json", "/nix/store/a",
            ]
        )
        #expect(
            Self.old.pathInfo(paths: ["/nix/store/a"], recursive: true).arguments
                == Self.flags + ["path-info", "--json", "-r", "/nix/store/a"]
        )
    }

    @Test func testEveryNixCommandEnablesFlakesFirst() {
        let invocations = [
            Self.new.eval(flake: "f", attribute: "a", apply: nil),
            Self.new.build(derivations: ["/nix/store/a.drv"]),
            Self.new.copy(paths: [], to: "ssh://h", substituteOnDestination: true, sshOptions: nil),
            Self.new.flakeCheck(flake: "f"),
            Self.new.pathInfo(paths: []),
        ]
        for invocation in invocations {
            #expect(invocation.executable == "nix")
            #expect(Array(invocation.arguments.prefix(2)) == ["--extra-experimental-features", "nix-command flakes"])
        }
        #expect(NixCommand.versionQuery == Invocation("nix", ["--version"]))
    }

    @Test func testClosureQueriesTheRequisitesWithNixStore() {
        let closure = Self.old.closure(of: "/nix/store/abc-system")
        #expect(closure.executable == "nix-store")
        #expect(closure.arguments == ["--query", "--requisites", "/nix/store/abc-system"])
        #expect(
            NixCommand.remoteClosureWords(of: "/nix/store/abc-system") == [
                "nix-store", "--query", "--requisites", "/nix/store/abc-system",
            ]
        )
    }

    @Test func testExtraArgumentsGoToEvalBuildAndFlakeCheckButNotCopy() {
        let nix = NixCommand(version: .v2_8, options: NixOptions(extraArguments: ["--impure"]))
        #expect(
            nix.eval(flake: ".", attribute: "deploy", apply: nil).arguments.suffix(2)
                == ["--json", ".#deploy", "--impure"].suffix(2)
        )
        #expect(nix.eval(flake: ".", attribute: "deploy", apply: "d: d").arguments.last == "--impure")
        #expect(nix.build(derivations: ["/nix/store/a-x.drv"]).arguments.last == "--impure")
        #expect(nix.flakeCheck(flake: "path:/f").arguments == Self.flags + ["flake", "check", "path:/f", "--impure"])
        let copy = nix.copy(paths: ["/nix/store/a"], to: "ssh://h", substituteOnDestination: false, sshOptions: nil)
        #expect(!copy.arguments.contains("--impure"))
    }

    @Test func testCopyChecksSignaturesOnlyWhenAsked() {
        let plain = Self.old.copy(
            paths: ["/nix/store/a"],
            to: "ssh://h",
            substituteOnDestination: false,
            sshOptions: nil
        )
        #expect(plain.arguments.contains("--no-check-sigs"))
        let checking = NixCommand(version: .v2_8, options: NixOptions(checksSignatures: true))
            .copy(paths: ["/nix/store/a"], to: "ssh://h", substituteOnDestination: false, sshOptions: nil)
        #expect(!checking.arguments.contains("--no-check-sigs"))
    }

    @Test func testResultLinkIsABuildWithAnOutLink() {
        #expect(
            Self.old.resultLink("gc/web/system", to: "/nix/store/a-x").arguments
                == Self.flags + ["build", "--out-link", "gc/web/system", "/nix/store/a-x"]
        )
        #expect(Builder.linkName("a/b") == "a%2Fb")
        #expect(Builder.linkName("..") == "%2E.")
        #expect(Builder.linkName("db:1") == "db:1")
    }
}
