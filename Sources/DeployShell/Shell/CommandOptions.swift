import ArgumentParser

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The option and flag names of a shell command, read from its ArgumentParser definition.
///
/// Completion offers what the parser accepts, so a new `@Option` completes without a list to keep
/// in step. ArgumentParser describes a command as JSON (`_dumpHelp()`, the `--experimental-dump-help`
/// format that its own tools read); only the names are decoded here.
enum CommandOptions {
    /// Every `--long` and `-s` name the command accepts, including `--help` and `-h`.
    static func names(of type: any ParsableCommand.Type) -> [String] {
        guard
            let dump = try? JSONDecoder().decode(Dump.self, from: Data(type._dumpHelp().utf8))
        else { return ["--help", "-h"] }
        var names: [String] = []
        for argument in dump.command.arguments ?? [] where argument.kind != "positional" {
            for name in argument.names ?? [] {
                names.append((name.kind == "long" ? "--" : "-") + name.name)
            }
        }
        return names
    }

    private struct Dump: Decodable {
        struct Command: Decodable {
            var arguments: [Argument]?
        }
        struct Argument: Decodable {
            var kind: String
            var names: [Name]?
        }
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        var command: Command
    }
}
