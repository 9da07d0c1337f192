/// The write-side commands (build, copy, activate, ...), kept apart from the read side.
package enum DeployCommands {
    package static let all: [any ShellCommand.Type] = []
}
