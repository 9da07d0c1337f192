import ArgumentParser

/// The shell's command line as values: `[--json] [-f FILE | -c COMMANDS] [--keep-going] [FLAKE]`.
///
/// The executable reads it with ArgumentParser; `quick(_:)` reads the forms that scripts and
/// CI use (`-c TEXT`, `-f FILE`, `--json`, `--keep-going`) by hand, because ArgumentParser's
/// first parse sets up its type metadata (about 2 ms, 5% of loading a 1000-node flake).
/// Anything else, or anything unusual, is left to ArgumentParser, so both agree by construction.
package struct ShellArguments: Sendable, Hashable {
    package var json = false
    package var file: String?
    package var commands: String?
    package var keepGoing = false
    package var flake: String?

    /// The help of the shell's `--keep-going`, which is not `deploy --keep-going`: shared by
    /// the executable's parser and its completion scripts.
    package static let keepGoingHelp = ArgumentHelp(
        "Go on after a failed command of a script, -c or piped input; exit 1 at the end if any failed."
            + " (To go on after a failed node, use `deploy --keep-going`.)"
    )

    package init(
        json: Bool = false,
        file: String? = nil,
        commands: String? = nil,
        keepGoing: Bool = false,
        flake: String? = nil
    ) {
        self.json = json
        self.file = file
        self.commands = commands
        self.keepGoing = keepGoing
        self.flake = flake
    }

    /// The arguments when they are only `-c TEXT` or `-f FILE` with `--json` / `--keep-going`,
    /// each at most once; `nil` for anything else (help, a flake, `--`, `-cTEXT`, a value
    /// that starts with `-`, a repeated or unknown flag).
    package static func quick(_ arguments: [String]) -> ShellArguments? {
        var parsed = ShellArguments()
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--json" where !parsed.json:
                parsed.json = true
            case "--keep-going" where !parsed.keepGoing:
                parsed.keepGoing = true
            case "-c" where parsed.commands == nil && parsed.file == nil:
                guard let value = value(after: index, in: arguments) else { return nil }
                parsed.commands = value
                index += 1
            case "-f" where parsed.file == nil && parsed.commands == nil:
                guard let value = value(after: index, in: arguments) else { return nil }
                parsed.file = value
                index += 1
            default:
                return nil
            }
            index += 1
        }
        return parsed.commands != nil || parsed.file != nil ? parsed : nil
    }

    private static func value(after index: Int, in arguments: [String]) -> String? {
        guard index + 1 < arguments.count else { return nil }
        let value = arguments[index + 1]
        return value.hasPrefix("-") ? nil : value
    }
}
