import ArgumentParser
import DeployKit

/// `check [--flake]`: validates the loaded `deploy` against deploy-rs's schema.
package struct CheckCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the loaded deploy output against deploy-rs's schema.",
        discussion: "Example: check --flake"
    )

    @Flag(help: "Also run `nix flake check` on the flake.")
    var flake = false

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let raw = try session.requireLoaded().raw
        var problems = SchemaChecker.check(raw)
        if flake {
            let ref = try session.requireFlake()
            let result = try await session.runner.run(try await session.nix().flakeCheck(flake: ref))
            if !result.succeeded {
                let failure = CommandFailure(result, summary: "nix flake check failed for '\(ref)'")
                problems.append(
                    SchemaProblem(
                        path: "flake",
                        severity: .error,
                        message: ([failure.message] + failure.details).joined(separator: "\n    ")
                    )
                )
            }
        }
        return CheckReport(problems: problems)
    }
}

/// `{"ok":bool,"problems":[{"path","severity","message"}]}`; a failure when any is an error.
package struct CheckReport: Report {
    var ok: Bool
    var problems: [SchemaProblem]

    init(problems: [SchemaProblem]) {
        self.problems = problems
        self.ok = !problems.contains { $0.severity == .error }
    }

    package var isFailure: Bool { !ok }

    package var failureMessage: String? {
        let errors = problems.filter { $0.severity == .error }.count
        return "check found \(errors) error\(errors == 1 ? "" : "s")"
    }

    package func text(style: TextStyle) -> String {
        if problems.isEmpty { return "ok: no problems found" }
        let lines = problems.map { problem in
            let label = problem.severity == .error ? style.red("error:") : style.yellow("warning:")
            return "\(label) \(problem.path): \(problem.message)"
        }
        let errors = problems.filter { $0.severity == .error }.count
        let summary =
            "\(errors) error\(errors == 1 ? "" : "s"), \(problems.count - errors) warning\(problems.count - errors == 1 ? "" : "s")"
        return (lines + [summary]).joined(separator: "\n")
    }
}
