import Testing

@testable import DeployKit

/// Secrets in ssh options never reach a printed command line or setting.
@Suite struct SSHSecretsTests {
    @Test func testAssignedValuesInOptionsAreMasked() {
        #expect(
            SSHSecrets.masked([
                "-o", "SetEnv=TOKEN=hunter2", "-oSetEnv TOKEN=hunter2 OTHER=x", "-p", "2222", "-o", "SendEnv=LANG",
                "-i", "/k", "-o", "ServerAliveInterval=5",
            ]) == [
                "-o", "SetEnv=TOKEN=***", "-oSetEnv TOKEN=*** OTHER=***", "-p", "2222", "-o", "SendEnv=LANG",
                "-i", "/k", "-o", "ServerAliveInterval=5",
            ]
        )
    }

    @Test func testFailureDetailsShowTheCommandWithSecretsMasked() {
        let ssh = SSHCommand(options: ["-o", "SetEnv=TOKEN=hunter2"], destination: "root@h", controlDirectory: "/r")
        var invocation = ssh.run(["true"])
        invocation.environment = ["NIX_SSHOPTS": ssh.nixSSHOptions]
        let failure = CommandFailure(.nonZeroExit(.exited(1)), summary: "it failed", invocation: invocation)
        let shown = failure.details.joined(separator: "\n")
        #expect(!shown.contains("hunter2"), "\(shown)")
        #expect(shown.contains(#"NIX_SSHOPTS='-o '\''SetEnv=TOKEN=***'\'' -o BatchMode=yes"#), "\(shown)")
        #expect(shown.contains(" -o 'SetEnv=TOKEN=***' -o BatchMode=yes "), "\(shown)")
        #expect(invocation.arguments.contains("SetEnv=TOKEN=hunter2"))  // ssh still gets the real value
    }

    @Test func testOnlySSHArgumentsAreMasked() {
        #expect(Invocation("sort", ["-o", "A=B"]).commandLine == "sort -o A=B")
    }
}
