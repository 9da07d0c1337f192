import DeployKit
import DeployTestSupport
import Testing

@testable import DeployShell

/// Small: progress follows the stream it is drawn on (standard error), not standard output.
@Suite struct ConsoleStreamsTests {
    static let web1 = ProfileRef(node: "web1", profile: "system")

    private func emit(outputIsTerminal: Bool, errorIsTerminal: Bool) -> String {
        let errors = Captured()
        let console = Console(
            style: TextStyle(isTerminal: outputIsTerminal),
            errorStyle: TextStyle(isTerminal: errorIsTerminal),
            writeOutput: { _ in },
            writeError: { errors.append($0) }
        )
        ConsoleEventSink(console: console).emit(DeployEvent(.started, target: Self.web1, step: .copy))
        console.finishLive()
        return errors.take()
    }

    @Test func testStandardErrorOnATerminalGetsTheLiveBlockEvenWhenStandardOutputIsAFile() {
        let drawn = emit(outputIsTerminal: false, errorIsTerminal: true)
        #expect(drawn.contains("- [web1.system] copy 0 s\u{1B}[K\n"), "\(drawn.debugDescription)")
    }

    @Test func testStandardErrorToAFileGetsPlainLinesEvenWhenStandardOutputIsATerminal() {
        let printed = emit(outputIsTerminal: true, errorIsTerminal: false)
        #expect(printed.hasSuffix(" [web1.system] copy ...\n"), "\(printed.debugDescription)")
        #expect(!printed.contains("\u{1B}"), "\(printed.debugDescription)")
    }

    @Test func testPipedLinesSayWhenABatchStartsAndEnds() {
        let errors = Captured()
        let console = Console(
            style: TextStyle(isTerminal: false),
            errorStyle: TextStyle(isTerminal: false),
            writeOutput: { _ in },
            writeError: { errors.append($0) }
        )
        let sink = ConsoleEventSink(console: console)
        var batch = DeployEvent.BatchInfo(index: 0, count: 2, nodes: ["web1"], status: "started")
        sink.emit(DeployEvent(batch: batch))
        batch.status = "paused"
        sink.emit(DeployEvent(batch: batch))
        let lines = errors.take().split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).last ?? "" }
        #expect(lines == ["batch 0 (1/2) started: web1", "batch 0 (1/2) paused"])
    }
}
