import ArgumentParser
import DeployKit
import DeployShell
import Foundation

/// `deploysh deploy [TARGET...]`: deploy-rs's command line, run by the shell's engine.
struct OneShotDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploysh deploy",
        abstract: "Deploy like deploy-rs: build, copy, activate and confirm (flags as deploy-rs's)."
    )

    @OptionGroup var output: OutputOptions
    @Argument(help: "Targets: .#node.profile, .#node or . (every node).") var targets: [String] = []
    @Option var sshUser: String?
    @Option var profileUser: String?
    @Option var sshOpts: String?
    @Option var fastConnection: String?
    @Option var autoRollback: String?
    @Option var magicRollback: String?
    @Option var confirmTimeout: String?
    @Option var activationTimeout: String?
    @Option var tempPath: String?
    @Option var hostname: String?
    @Option var sudo: String?
    @Option var interactiveSudo: String?
    @Option var rollbackSucceeded: Bool = true
    @Flag var remoteBuild = false
    @Flag var dryActivate = false
    @Flag var boot = false
    @Flag(name: [.customShort("s"), .long]) var skipChecks = false

    mutating func run() async throws {
        var overrides: [(key: String, value: String)] = []
        let values: [(String, String?)] = [
            ("sshUser", sshUser), ("user", profileUser), ("sshOpts", sshOpts), ("fastConnection", fastConnection),
            ("autoRollback", autoRollback), ("magicRollback", magicRollback), ("confirmTimeout", confirmTimeout),
            ("activationTimeout", activationTimeout), ("tempPath", tempPath), ("hostname", hostname), ("sudo", sudo),
            ("interactiveSudo", interactiveSudo), ("remoteBuild", remoteBuild ? "true" : nil),
        ]
        for case (let key, let value?) in values { overrides.append((key, value)) }
        let oneShot = OneShotDeploy(
            targets: targets,
            overrides: overrides,
            dryActivate: dryActivate,
            boot: boot,
            skipChecks: skipChecks,
            rollbackSucceeded: rollbackSucceeded
        )
        let status = await Self.run(oneShot, output: output)
        throw ExitCode(status)
    }

    @MainActor
    private static func run(_ oneShot: OneShotDeploy, output: OutputOptions) async -> Int32 {
        let session: Session
        do {
            session = try Launch.session(output: output)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
        do {
            var source = ScriptSource(text: try oneShot.script(), file: "<deploy>")
            var interpreter = Interpreter(session: session)
            let interrupts = InterruptHandler()
            interpreter.onCommandStart = { task in interrupts.register(task) }
            interpreter.onCommandEnd = { interrupts.unregister() }
            let status = await interpreter.run(&source, interactive: false).exitStatus
            await session.shutdown()
            return status
        } catch {
            session.console.show(error, location: nil)
            await session.shutdown()
            return 64
        }
    }
}
