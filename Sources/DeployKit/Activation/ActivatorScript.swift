/// The on-target half of the activation protocol: the POSIX sh program `activator.sh`.
///
/// It exists so that a target needs no deploysh binary (unlike deploy-rs's `activate-rs`): every
/// Nix host has `sh`, coreutils and `nix-env`, and that is all the program uses. The program is a
/// real file (`Sources/DeployKit/Activation/activator.sh`, checked by shellcheck and
/// `scripts/activator-check`) that SwiftPM embeds into the binary at build time
/// (`.embedInCode`), so deploysh still ships as one file.
///
/// Run it as `sh -c PROGRAM deploysh-activator SUBCOMMAND ARGS...` (``program``), every word
/// quoted by `RemoteShell.quote`, optionally behind `sudo -u USER`. Standard output carries only
/// `deploysh:KEY=VALUE` lines; people's text and activation output go to standard error.
/// docs/testbed.md lists the subcommands, their lines and exit codes.
package enum ActivatorScript {
    /// The text of `activator.sh`, as embedded at build time.
    package static let source: String = String(decoding: PackageResources.activator_sh, as: UTF8.self)

    /// The `sh -c` program that runs ``source`` with its own text in `DEPLOYSH_SOURCE`, so the
    /// detached watchdog can start the same program again in a new session.
    package static let program: String =
        "DEPLOYSH_SOURCE=" + RemoteShell.quote(source) + "\nexport DEPLOYSH_SOURCE\neval \"$DEPLOYSH_SOURCE\""

    /// The SHA-256 of ``source``: the name of the installed copy on a node, checked there before use.
    package static let digest: String = SHA256.hex(Array(source.utf8))

    /// The small program (`activator-boot.sh`) that runs an installed copy after checking it:
    /// `sh -c BOOT deploysh-activator TEMPPATH SHA256 SUBCOMMAND ARGS...`, or answers
    /// `result=not-installed` (exit 97) and does nothing.
    package static let boot: String = String(decoding: PackageResources.activator_boot_sh, as: UTF8.self)
}
