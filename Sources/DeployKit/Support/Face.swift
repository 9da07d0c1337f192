/// Where a person reads an error: in the shell (the REPL, a script, `-c`), or in the one-shot
/// `deploysh deploy` command line.
///
/// A hint names the next step, and the step differs: the shell can type `nodes` or `load .`,
/// the one-shot cannot. Renderers pass the face to ``UserFacingError/hint(in:)``.
package enum Face: Sendable, Equatable {
    /// The REPL, a script, `-c` or piped commands: shell commands are the next step.
    case shell
    /// `deploysh deploy ...` (deploy-rs's command line): flags and `deploysh -c` are the next step.
    case oneShot
}
