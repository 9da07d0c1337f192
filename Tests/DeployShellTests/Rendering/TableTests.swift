import Testing

@testable import DeployShell

/// Column alignment of human tables: two spaces between columns, no trailing blanks.
@Suite struct TableTests {
    @Test func testColumnsAlignToTheWidestCell() {
        let table = Table(
            header: ["NODE", "PROFILE", "HOST"],
            rows: [["web1", "system", "10.0.0.1"], ["web.example.com", "app", "h"]]
        )
        #expect(
            table.render(style: .plain) == """
                NODE             PROFILE  HOST
                web1             system   10.0.0.1
                web.example.com  app      h
                """
        )
    }

    @Test func testWidthsCountCharactersNotBytes() {
        let table = Table(header: ["NAME", "X"], rows: [["wéb✓", "1"], ["日本", "2"]])
        #expect(table.render(style: .plain) == "NAME  X\nwéb✓  1\n日本    2")
    }

    @Test func testTheLastCellOfEachRowIsNotPadded() {
        let table = Table(header: ["A", "B"], rows: [["long cell"], ["x", "y"]])
        #expect(table.render(style: .plain) == "A          B\nlong cell\nx          y")
    }

    @Test func testAHeaderWithoutRowsAndAColouredHeader() {
        #expect(Table(header: ["NODE", "HOST"], rows: []).render(style: .plain) == "NODE  HOST")
        let styled = Table(header: ["A", "B"], rows: [["aa", "b"]]).render(style: TextStyle(usesColor: true))
        #expect(styled == "\u{1B}[1mA   B\u{1B}[0m\naa  b")
    }

    @Test func testControlCharactersInCellsAreShownNotSent() {
        let table = Table(header: ["NODE", "HOST"], rows: [["web\u{1B}]0;x\u{07}", "h"]])
        #expect(
            table.render(style: .plain) == "NODE" + String(repeating: " ", count: 13) + "HOST\n"
                + #"web\x1b]0;x\x07  h"#
        )
    }
}
