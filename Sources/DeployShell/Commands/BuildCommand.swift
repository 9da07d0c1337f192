import ArgumentParser
import DeployKit

/// `build [--remote|--local] [TARGET...]`: builds the selected profiles.
package struct BuildCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the selected profiles (locally in one nix call, or on the targets).",
        discussion: "Example: build --remote web1.system"
    )

    @Flag(help: "Build on the target (as remoteBuild = true).") var remote = false
    @Flag(help: "Build locally even where remoteBuild is set.") var local = false
    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package func validate() throws {
        if remote && local { throw ValidationError("--remote and --local cannot be used together") }
    }

    package mutating func run(in session: Session) async throws -> any Report {
        let deployTargets = try await PlanCommand.evaluate(targets, in: session, command: "build")
        let engine = try await Engine(session: session)
        let remoteFlag: Bool? = remote ? true : (local ? false : nil)
        try await Self.build(deployTargets, remote: remoteFlag, engine: engine, session: session)
        return StepReport(
            step: "build",
            targets: deployTargets.map {
                .init(
                    $0.ref,
                    result: session.remoteBuilt.contains($0.ref) ? "built on target" : "built",
                    storePath: $0.storePath
                )
            },
            failed: false
        )
    }

    /// Builds local targets in one nix call and remote ones on their hosts.
    @MainActor
    package static func build(_ targets: [DeployTarget], remote: Bool?, engine: Engine, session: Session) async throws {
        let onTarget = targets.filter { remote ?? $0.resolved.settings.remoteBuild }
        let here = targets.filter { !(remote ?? $0.resolved.settings.remoteBuild) }
        if !here.isEmpty {
            try await engine.builder.buildLocally(here)
            for target in here {
                session.remoteBuilt.remove(target.ref)
                session.record(TargetStatus(ref: target.ref, state: "built", storePath: target.storePath))
            }
        }
        for target in onTarget {
            try await engine.builder.buildRemotely(target)
            session.remoteBuilt.insert(target.ref)
            session.record(TargetStatus(ref: target.ref, state: "built on target", storePath: target.storePath))
        }
    }
}

/// `copy [TARGET...]`: copies built closures to their targets (skipped after a remote build).
package struct CopyCommand: ShellCommand {
    package static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the built profiles to their targets (nix copy over ssh).",
        discussion: "Example: copy web1.system"
    )

    @Argument(help: "Targets; default: the selection.") var targets: [String] = []

    package init() {}

    package mutating func run(in session: Session) async throws -> any Report {
        let deployTargets = try await PlanCommand.evaluate(targets, in: session, command: "copy")
        let engine = try await Engine(session: session)
        let rows = try await Self.copy(deployTargets, engine: engine, session: session)
        return StepReport(step: "copy", targets: rows, failed: false)
    }

    /// Copies each target to its host, skipping those built there, and records the result.
    @MainActor
    package static func copy(_ targets: [DeployTarget], engine: Engine, session: Session) async throws -> [StepReport
        .Row]
    {
        var rows: [StepReport.Row] = []
        for target in targets {
            if session.remoteBuilt.contains(target.ref) {
                rows.append(.init(target.ref, result: "skipped", message: "built on the target"))
                continue
            }
            try await engine.copier.copy(target)
            session.record(TargetStatus(ref: target.ref, state: "copied", storePath: target.storePath))
            rows.append(.init(target.ref, result: "copied", storePath: target.storePath))
        }
        return rows
    }
}
