import Testing

@testable import DeployKit

/// Small: the fixed-point text deploysh prints where C would use `printf("%.Nf")`.
@Suite struct DecimalTextTests {
    @Test(arguments: [
        (0.0, 2, "0.00"), (0.125, 1, "0.1"), (0.15, 1, "0.2"), (12.3456, 2, "12.35"), (3.0, 0, "3"),
        (-1.5, 1, "-1.5"), (-0.001, 2, "0.00"), (1234.5, 1, "1234.5"), (0.05, 2, "0.05"),
    ])
    func testMatchesPrintfRounding(value: Double, digits: Int, expected: String) {
        #expect(DecimalText.fixed(value, digits: digits) == expected)
    }
}
