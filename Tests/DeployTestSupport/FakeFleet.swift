import DeployKit
import Foundation

/// The nodes of a small executor test, and the one responder that answers every command the
/// executor runs: `nix build`, the ssh shared connections and their checks, `nix copy`, and each
/// node's activator (answered by ``FakeNode/reply(to:)``).
///
/// It exists so that tests build a real ``Executor`` over a ``RecordingRunner`` and assert on the
/// typed summary and on the order of what ran, with no process and no network.
package struct FakeFleet: Sendable {
    package var nodes: [FakeNode]
    /// Whether the one local `nix build` succeeds.
    package var buildSucceeds: Bool

    package init(_ nodes: [FakeNode], buildSucceeds: Bool = true) {
        self.nodes = nodes
        self.buildSucceeds = buildSucceeds
    }

    /// What `invocation` "does" on this fleet.
    ///
    /// A reachable node's shared connection (`ssh -M -N`) puts its control socket in place and
    /// runs until it is stopped, as a real one does; an unreachable node's exits 255.
    package func respond(to invocation: Invocation) -> RecordingRunner.Response {
        let arguments = invocation.arguments
        if invocation.executable == "nix" {
            guard arguments.contains("build"), !buildSucceeds else { return RecordingRunner.Response() }
            return RecordingRunner.Response(
                status: .exited(1),
                standardError: ["error: builder for '/nix/store/x.drv' failed"]
            )
        }
        guard invocation.executable == "ssh", let node = node(of: invocation) else { return RecordingRunner.Response() }
        if arguments.contains("-M") {
            guard node.isReachable else {
                // ssh -E LOG writes its errors to the log (with CRLF line ends), not to stderr.
                let refused = "ssh: connect to host \(node.hostname) port 22: Connection refused"
                if let flag = arguments.firstIndex(of: "-E"), flag + 1 < arguments.count {
                    let log = arguments[flag + 1]
                    _ = FileManager.default.createFile(atPath: log, contents: Data((refused + "\r\n").utf8))
                }
                return RecordingRunner.Response(status: .exited(255))
            }
            if let socket = Self.controlPath(of: invocation) {
                _ = FileManager.default.createFile(atPath: socket, contents: nil)
            }
            return RecordingRunner.Response(runsUntilCancelled: true)
        }
        if arguments.contains("-O") { return RecordingRunner.Response(status: .exited(node.isReachable ? 0 : 255)) }
        guard let words = Self.activatorWords(of: invocation) else { return RecordingRunner.Response() }
        return node.reply(to: words)
    }

    /// A short name for what `invocation` did, to assert on order: `build`, `HOST connect`,
    /// `HOST copy`, `HOST SUBCOMMAND` for the activator; `nil` for ssh control commands.
    package func step(of invocation: Invocation) -> String? {
        if invocation.executable == "nix" {
            if invocation.arguments.contains("build") { return "build" }
            return node(of: invocation).map { "\($0.hostname) copy" }
        }
        guard let node = node(of: invocation), !invocation.arguments.contains("-O") else { return nil }
        if invocation.arguments.contains("-M") { return "\(node.hostname) connect" }
        return Self.activatorWords(of: invocation)?.first.map { "\(node.hostname) \($0)" }
    }

    /// The activator subcommands run, in order, as `HOST SUBCOMMAND`.
    package func activatorCalls(in invocations: [Invocation]) -> [String] {
        invocations.filter { Self.activatorWords(of: $0) != nil }.compactMap(step(of:))
    }

    /// The node an ssh command or `nix copy` goes to.
    private func node(of invocation: Invocation) -> FakeNode? {
        let arguments = invocation.arguments
        let destination: String?
        if let to = arguments.firstIndex(of: "--to"), to + 1 < arguments.count {
            destination = arguments[to + 1].replacing("ssh://", with: "")
        } else if let dashes = arguments.firstIndex(of: "--"), dashes + 1 < arguments.count {
            destination = arguments[dashes + 1]
        } else {
            destination = nil
        }
        let host = destination.map { $0.split(separator: "@").last.map(String.init) ?? $0 }
        return nodes.first { $0.hostname == host }
    }

    /// The words after `deploysh-activator` in an ssh command's remote command line, or `nil`
    /// when it does not run the activator.
    package static func activatorWords(of invocation: Invocation) -> [String]? {
        // Only the words after the program's name are split: the program itself is long.
        let marker = RemoteShell.quote("deploysh-activator") + " "
        guard invocation.executable == "ssh", let command = invocation.arguments.last,
            let start = command.range(of: marker)
        else { return nil }
        return remoteWords(String(command[start.upperBound...]))
    }

    /// Splits a command line quoted by `RemoteShell.command` (POSIX single quotes) into words.
    static func remoteWords(_ command: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for character in command {
            if escaped {
                word.append(character)
                escaped = false
            } else if quoted {
                if character == "'" { quoted = false } else { word.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == "\\" {
                escaped = true
                inWord = true
            } else if character == " " {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// The `ControlPath=` an ssh command names.
    private static func controlPath(of invocation: Invocation) -> String? {
        invocation.arguments.first { $0.hasPrefix("ControlPath=") }.map { String($0.dropFirst("ControlPath=".count)) }
    }
}
