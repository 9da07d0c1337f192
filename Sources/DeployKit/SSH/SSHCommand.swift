/// Builds the argv of every `ssh` command deploysh runs, and the `NIX_SSHOPTS` for nix.
///
/// The destination always follows `--`, after every option, so ssh can only read it as a
/// destination (a host like `-oProxyCommand=...` is also refused earlier, see `SSHDestination`).
///
/// Connections to one host share a control master (copy, activate and wait reuse one
/// connection), except the confirmation, which must prove that a NEW connection still works
/// after activation and so never uses a shared one.
package struct SSHCommand: Sendable, Hashable {
    /// The user's effective `sshOpts`, passed to ssh verbatim.
    package var options: [String]
    /// `user@host` or `host`.
    package var destination: String
    /// Directory for control sockets; `nil` disables connection sharing.
    package var controlDirectory: String?
    /// Seconds to wait for a TCP connection before giving up on a host that is down.
    package var connectTimeout: Int

    package init(options: [String], destination: String, controlDirectory: String?, connectTimeout: Int = 10) {
        self.options = options
        self.destination = destination
        self.controlDirectory = controlDirectory
        self.connectTimeout = connectTimeout
    }

    /// Options deploysh adds: non-interactive, bounded connect time, host keys still checked,
    /// and keepalives so that a frozen node is noticed within about 30 s (5 s x 6), unless the
    /// user's `sshOpts` set their own.
    var baseOptions: [String] {
        var base = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)"]
        if !setsOption("ServerAliveInterval") { base += ["-o", "ServerAliveInterval=5"] }
        if !setsOption("ServerAliveCountMax") { base += ["-o", "ServerAliveCountMax=6"] }
        return base
    }

    /// Whether the user's options set `name` (`-o Name=v`, `-oName v`, `-o 'Name v'`, any case).
    func setsOption(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return options.contains { word in
            let option = word.hasPrefix("-o") ? word.dropFirst(2) : Substring(word)
            return option.lowercased().hasPrefix(lowered)
                && option.dropFirst(lowered.count).first.map { $0 == "=" || $0.isWhitespace } ?? false
        }
    }

    /// The options that make this command use the shared connection (or, when none is open,
    /// carry its own session in the foreground: `ControlPersist=no`).
    package var sharingOptions: [String] {
        guard let controlDirectory else { return ["-o", "ControlPath=none"] }
        return [
            "-o", "ControlMaster=auto", "-o", "ControlPath=\(controlDirectory)/\(socketName)", "-o",
            "ControlPersist=no",
        ]
    }

    /// `ssh -M -N DEST`: the shared connection itself, running in the foreground until it is
    /// told to exit (`closeMaster`) or deploysh ends.
    ///
    /// It runs as an ordinary child of deploysh (not a persisting master, which would detach
    /// into a session of its own and outlive a killed deploysh); its log goes to `logFile`.
    package func openMaster(logFile: String) -> Invocation? {
        guard let controlDirectory else { return nil }
        return Invocation(
            "ssh",
            options + baseOptions + [
                "-M", "-N", "-o", "ControlPath=\(controlDirectory)/\(socketName)", "-o", "ControlPersist=no",
                "-E", logFile, "--", destination,
            ]
        )
    }

    /// The shared connection's socket, when sharing is on: a name deploysh chooses (not ssh's
    /// `%C`), so that it can wait for the socket to appear instead of asking ssh in a loop.
    package var controlPath: String? {
        controlDirectory.map { $0 + "/" + socketName }
    }

    /// `c-` and 16 hex digits of an FNV-1a hash of the destination and the options: the same
    /// for every command to one host with the same options, short enough for a socket path.
    var socketName: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ([destination] + options).joined(separator: "\u{0}").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "c-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `ssh -O check`: exits 0 when the shared connection to the host is open.
    package func checkMaster() -> Invocation? {
        guard let controlDirectory else { return nil }
        return Invocation(
            "ssh",
            options + ["-o", "ControlPath=\(controlDirectory)/\(socketName)", "-O", "check", "--", destination]
        )
    }

    /// `ssh -O exit`: closes the shared connection.
    package func closeMaster() -> Invocation? {
        guard let controlDirectory else { return nil }
        return Invocation(
            "ssh",
            options + ["-o", "ControlPath=\(controlDirectory)/\(socketName)", "-O", "exit", "--", destination]
        )
    }

    /// `ssh -O exit` on one control socket, when only the socket is known (at shutdown).
    package static func closeMaster(socket: String) -> Invocation {
        Invocation("ssh", ["-o", "ControlPath=\(socket)", "-O", "exit", "--", "deploysh-control-socket"])
    }

    /// Runs `words` on the host over the shared connection; every word is quoted once.
    package func run(_ words: [String], standardInput: String? = nil) -> Invocation {
        Invocation(
            "ssh",
            options + baseOptions + sharingOptions + ["--", destination, RemoteShell.command(words)],
            standardInput: standardInput
        )
    }

    /// Runs `words` over a brand-new connection (connection sharing off), for the confirmation.
    package func runOnNewConnection(_ words: [String]) -> Invocation {
        Invocation(
            "ssh",
            options + baseOptions + [
                "-o", "ControlMaster=no", "-o", "ControlPath=none", "--", destination, RemoteShell.command(words),
            ]
        )
    }

    /// The ssh options nix should use for `nix copy` (`NIX_SSHOPTS`), sharing the connection.
    ///
    /// Nix splits `NIX_SSHOPTS` on blanks (2.8) or like a shell (newer); words are quoted
    /// only when needed, and ``needsWrapperForNix`` tells when a word has blanks that
    /// old versions would split.
    package var nixSSHOptions: String {
        (options + baseOptions + sharingOptions).map(RemoteShell.quoteIfNeeded).joined(separator: " ")
    }

    /// Whether some option contains a blank, which Nix's plain `NIX_SSHOPTS` split would break.
    package var needsWrapperForNix: Bool {
        (options + sharingOptions).contains { $0.contains(where: \.isWhitespace) }
    }

    /// A tiny `ssh` wrapper script that passes every option exactly, for Nix to run via `PATH`.
    package func wrapperScript(realSSH: String) -> String {
        "#!/bin/sh\nexec " + RemoteShell.command([realSSH] + options + baseOptions + sharingOptions) + " \"$@\"\n"
    }
}
