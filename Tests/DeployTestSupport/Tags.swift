import Testing

/// Test sizes, as in SwiftPM: small (pure logic), medium (real child processes, no nix),
/// large (real nix and sshd nodes of the testbed, or the REPL under tmux).
extension Tag {
    @Tag package static var small: Self
    @Tag package static var medium: Self
    @Tag package static var large: Self
}
