import DeployShell
import Testing

/// Small: secrets in ssh options are masked in recorded command lines, as on screen.
@Suite struct TranscriptMaskingTests {
    @Test(arguments: [
        (#"set sshOpts "-o SetEnv=TOKEN=abc -p 22"; nodes"#, #"set sshOpts "-o SetEnv=TOKEN=*** -p 22"; nodes"#),
        ("deploy . --ssh-opts '-oSetEnv=A=1 B=2'", "deploy . --ssh-opts '-oSetEnv=A=*** B=***'"),
        ("set sshOpts '-o Port=22'", "set sshOpts '-o Port=22'"),
        ("echo no options here", "echo no options here"),
    ])
    func testSecretsInSSHOptionsAreMasked(input: String, expected: String) {
        #expect(TranscriptMasking.masked(input) == expected)
    }
}
