import ArgumentParser
import DeployKit

/// `copy [TARGET...]`: copies built closures to their targets (skipped after a remote build).
package struct CopyCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the built profiles to their targets (nix copy over ssh).",
        discussion: "Example: copy web1.system"
    )

    @OptionGroup var cache: CacheFlags
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws { _ = try cache.options() }

    package mutating func run(in session: Session) async throws -> any Report {
        var options = DeployOptions(steps: .copy, jobs: session.settings.effectiveJobs)
        options.cache = session.settings.cache.overlaid(by: try cache.options())
        let result = try await session.run(try session.request(targets, options: options, command: "copy"))
        try result.requireSuccess(command: "copy")
        let planned = Set(result.plan.targets.filter { $0.steps.contains(.copy) }.map(\.ref))
        return StepReport(
            step: "copy",
            targets: result.summary.targets.map {
                planned.contains($0.ref)
                    ? .init($0.ref, result: Self.result(of: $0.copyWay), storePath: $0.storePath)
                    : .init($0.ref, result: "skipped", message: "built on the target")
            },
            failed: false
        )
    }

    /// How a copied target's closure arrived, as the step report says it.
    static func result(of way: CopyWay?) -> String {
        switch way {
        case .cache(let url): "pulled from \(StoreURL.display(url))"
        case .fallback(let url, let reason): "copied directly (pull from \(StoreURL.display(url)) failed: \(reason))"
        case .direct, nil: "copied"
        }
    }
}
