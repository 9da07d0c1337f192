import ArgumentParser
import DeployKit

/// `eval [--apply EXPR] [ATTRPATH]`: `nix eval --json` on the loaded flake's `deploy`.
package struct EvalCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate deploy (or deploy.ATTRPATH) of the loaded flake, optionally through --apply.",
        discussion: "Example: eval --apply 'd: builtins.attrNames d.nodes'"
    )

    @Option(help: "A Nix function applied to the value.")
    var apply: String?

    @Argument(help: "An attribute path below deploy, for example nodes.web1.hostname.")
    var attributePath: String?

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let flake = try session.requireFlake()
        let evaluator = FlakeEvaluator(runner: session.runner, nix: session.evaluationNix)
        let attribute = attributePath.map { "deploy." + $0 } ?? "deploy"
        let evaluation = try await evaluator.evaluate(flake: flake, attribute: attribute, apply: apply)
        return EvalReport(value: evaluation.value)
    }
}

/// `{"value":..}`; pretty JSON on a terminal.
package struct EvalReport: Report {
    var value: JSONValue

    package func text(style: TextStyle) -> String {
        style.isTerminal ? JSONRenderer.pretty(value) : JSONRenderer.line(value)
    }
}
