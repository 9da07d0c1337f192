import Testing

@testable import DeployKit

/// Remote text is shown with its control characters visible, never interpreted.
@Suite struct DisplayTextTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("\u{1B}]0;PWNED\u{07}title", #"\x1b]0;PWNED\x07title"#),
        ("\u{1B}[31mred\u{1B}[0m", #"\x1b[31mred\x1b[0m"#),
        ("nul\0end", #"nul\0end"#),
        ("over\rwrite", #"over\rwrite"#),
        ("csi\u{9B}2J del\u{7F}", #"csi\x9b2J del\x7f"#),
        ("tab\tand\nline", "tab\tand\nline"),
        ("café ✓", "café ✓"),
    ])
    func testControlCharactersAreMadeVisible(raw: String, shown: String) {
        #expect(DisplayText.visible(raw) == shown)
    }

    @Test func testAQuotedValueStaysOnOneLine() {
        #expect(DisplayText.quoted("a\nb\u{1B}") == #"'a\nb\x1b'"#)
    }
}
