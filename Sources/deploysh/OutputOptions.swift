import ArgumentParser

/// Flags shared by the shell and the one-shot `deploy`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per result (stdout) and per error or event (stderr).")
    var json = false
}
