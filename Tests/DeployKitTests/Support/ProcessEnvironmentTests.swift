import Foundation
import Testing

@testable import DeployKit

/// Single variables read with `getenv` must match what Foundation's whole-environment copy says.
@Suite struct ProcessEnvironmentTests {
    @Test func testValuesMatchTheWholeEnvironment() {
        let whole = ProcessInfo.processInfo.environment
        #expect(ProcessEnvironment.value("PATH") == whole["PATH"])
        #expect(ProcessEnvironment.value("DEPLOYSH_SURELY_UNSET_VARIABLE") == nil)
        let names = ["PATH", "HOME", "DEPLOYSH_SURELY_UNSET_VARIABLE"]
        #expect(ProcessEnvironment.values(names) == whole.filter { names.contains($0.key) })
    }
}
