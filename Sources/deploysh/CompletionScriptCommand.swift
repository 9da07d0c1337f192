import ArgumentParser
import DeployShell

/// The command tree that `deploysh --generate-completion-script bash|zsh|fish` describes: the
/// shell's flags with `deploy` as a subcommand.
///
/// It exists because `Entrypoint` dispatches `deploy` by hand, and because the shell's optional
/// `[FLAKE]` argument would make completion read `deploy` as a flake. Keep its flags in step
/// with `ShellCommandLine` (OneShotBinaryTests checks the generated scripts).
struct CompletionScriptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploysh",
        abstract: "A deploy shell for Nix flakes (deploy-rs compatible).",
        subcommands: [OneShotDeployCommand.self]
    )

    @OptionGroup var output: OutputOptions

    @Option(name: .customShort("f"), help: "Run the commands of a script file.", completion: .file(extensions: ["dsh"]))
    var file: String?

    @Option(name: .customShort("c"), help: "Run commands given inline ('cmd; cmd').")
    var commands: String?

    @Flag(help: ShellArguments.keepGoingHelp)
    var keepGoing = false

    @Flag(name: [.customShort("V"), .long], help: "Print the version.")
    var version = false
}
