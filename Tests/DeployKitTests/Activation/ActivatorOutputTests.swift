import Testing

@testable import DeployKit

/// Reading the activator's machine lines (`deploysh:KEY=VALUE`) from standard output.
@Suite struct ActivatorOutputTests {
    static func output(_ standardOutput: String, status: TerminationStatus = .exited(0)) -> ActivatorOutput {
        ActivatorOutput(
            result: CommandResult(
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
        #expect(output["message"] == "a=b c")
        #expect(output["indented"] == nil)
        #expect(output["novalue"] == nil)
    }

    @Test func testTheLastValueWinsAndAllKeepsEveryValueInOrder() {
        let output = Self.output(
            "deploysh:pending=aa 10\ndeploysh:generation=4\ndeploysh:pending=bb 20\ndeploysh:generation=5"
        )
        #expect(output["generation"] == "5")
        #expect(output.all("pending") == ["aa 10", "bb 20"])
        #expect(output.all("missing") == [])
        #expect(output["missing"] == nil)
    }

    @Test func testEmptyValuesAndEmptyOutput() {
        let output = Self.output("deploysh:generation=\n")
        #expect(output["generation"] == "")
        #expect(Self.output("").fields.isEmpty)
    }

    @Test(arguments: [(TerminationStatus.exited(75), Int32?.some(75)), (.signaled(9), nil), (.cancelled, nil)])
    func testExitCodeComesFromTheStatus(status: TerminationStatus, code: Int32?) {
        #expect(Self.output("", status: status).exitCode == code)
    }

    @Test func testOutputsWithTheSameFieldsAreEqual() {
        #expect(Self.output("deploysh:a=1\n") == Self.output("deploysh:a=1\n"))
        #expect(Self.output("deploysh:a=1\n") != Self.output("deploysh:a=2\n"))
    }
}
