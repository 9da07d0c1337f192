/// The write-side commands (build, copy, activate, ...), kept apart from the read side.
package enum DeployCommands {
    package static let all: [any ShellCommand.Type] = [
        BuildCommand.self, DiffCommand.self, CopyCommand.self, ActivateCommand.self, ConfirmCommand.self,
        RollbackCommand.self, GenerationsCommand.self, DeployCommand.self, ExecCommand.self, CheckHealthCommand.self,
        ShowLogCommand.self, UndoCommand.self, ResumeCommand.self, AbortCommand.self,
    ]
}
