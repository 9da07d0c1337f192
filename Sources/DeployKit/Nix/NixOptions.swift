/// Nix options a person passes through deploysh (deploy-rs's `-c` and `-- ARGS`).
///
/// Kept apart from ``NixCommand``'s own flags so every command that evaluates or builds gets
/// the same extra arguments, as deploy-rs passes them to `nix eval`, `nix build` and
/// `nix flake check` alike.
package struct NixOptions: Sendable, Hashable {
    /// Arguments appended to `nix eval`, `nix build` and `nix flake check` (`--impure`, `--override-input X Y`).
    package var extraArguments: [String]
    /// Whether `nix copy` checks signatures (deploy-rs's `--checksigs`); off by default.
    package var checksSignatures: Bool
    /// Nix's remote builders for the local `nix build` only (`--builders SPEC`, `set builders`).
    package var builders: String?
    /// Build jobs the local Nix runs itself (`--max-jobs`, `set maxJobs`; 0: remote builders only).
    package var maxJobs: Int?

    package init(extraArguments: [String] = [], checksSignatures: Bool = false) {
        self.extraArguments = extraArguments
        self.checksSignatures = checksSignatures
    }

    /// The arguments only the local `nix build` gets: builders and the local job count.
    package var buildArguments: [String] {
        (builders.map { ["--builders", $0] } ?? []) + (maxJobs.map { ["--max-jobs", String($0)] } ?? [])
    }
}
