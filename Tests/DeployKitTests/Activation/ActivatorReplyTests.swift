import Testing

@testable import DeployKit

/// Reading the activator's machine lines (`deploysh:KEY=VALUE`) from standard output.
@Suite struct ActivatorReplyTests {
    static func output(_ standardOutput: String, status: TerminationStatus = .exited(0)) -> ActivatorReply {
        ActivatorReply(
            CommandResult(
                invocation: Invocation("ssh", ["h"]),
                status: status,
                standardOutput: standardOutput,
                standardErrorTail: [],
                duration: .zero
            )
        )
    }

    @Test func testOnlyDeployshLinesAreFields() {
        let output = Self.output(
            """
            activating the configuration...
            deploysh:generation=4
            deploysh:status=ok
             deploysh:indented=no
            note deploysh:inside=no
            deploysh:novalue
            deploysh:message=a=b c

            """
        )
        #expect(output.fields.map(\.key) == ["generation", "status", "message"])
        #expect(output.fields.map(\.value) == ["4", "ok", "a=b c"])
        #expect(output[named: "message"] == "a=b c")
        #expect(output[named: "indented"] == nil)
        #expect(output[named: "novalue"] == nil)
    }

    @Test func testTheLastValueWinsAndAllKeepsEveryValueInOrder() {
        let output = Self.output(
            "deploysh:pending=aa 10\ndeploysh:generation=4\ndeploysh:pending=bb 20\ndeploysh:generation=5"
        )
        #expect(output[named: "generation"] == "5")
        #expect(output.all(named: "pending") == ["aa 10", "bb 20"])
        #expect(output.all(named: "missing") == [])
        #expect(output[named: "missing"] == nil)
    }

    @Test func testEmptyValuesAndEmptyOutput() {
        let output = Self.output("deploysh:generation=\n")
        #expect(output[named: "generation"] == "")
        #expect(Self.output("").fields.isEmpty)
    }

    @Test(arguments: [(TerminationStatus.exited(75), Int32?.some(75)), (.signaled(9), nil), (.cancelled, nil)])
    func testExitCodeComesFromTheStatus(status: TerminationStatus, code: Int32?) {
        #expect(Self.output("", status: status).exitCode == code)
    }

    @Test func testTypedFieldsReadTheProtocolKeys() {
        let reply = Self.output(
            "deploysh:result=rolled-back\ndeploysh:generation=3\ndeploysh:status=4\ndeploysh:timeout=9\n"
                + "deploysh:current=\ndeploysh:confirmed-by=ab12\n"
        )
        #expect(reply.outcome == .rolledBack)
        #expect(reply.generation == 3)
        #expect(reply.activationStatus == 4)
        #expect(reply.timedOutAfter == 9)
        #expect(reply.currentPath == nil)
        #expect(reply.confirmedBy == "ab12")
        #expect(Self.output("deploysh:result=frobbed\n").outcome == nil)
        #expect(Self.output("deploysh:result=frobbed\n").outcomeText == "frobbed")
    }
}
