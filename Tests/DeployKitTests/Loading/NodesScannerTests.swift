import Testing

@testable import DeployKit

/// The scanner that finds runs of whole nodes while `load`'s JSON arrives must cut exactly where
/// the full text's members start and end (anything else is thrown away, and reads slow again).
@Suite struct NodesScannerTests {
    /// The runs the scanner hands out for `text` arriving in pieces of `size` bytes.
    static func runs(_ text: String, size: Int, minimumBytes: Int = 1) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        var scanner = NodesScanner()
        var runs: [Range<Int>] = []
        var received = 0
        while received < bytes.count {
            received = min(bytes.count, received + size)
            bytes[..<received].withUnsafeBufferPointer { scanner.scan($0) }
            while let run = scanner.nextRun(minimumBytes: minimumBytes) { runs.append(run) }
        }
        return runs
    }

    /// Where the full text's `nodes` members start and end, by the parser's own scan.
    static func members(_ text: String) throws -> (starts: [Int], ends: [Int]) {
        let bytes = Array(text.utf8)
        let top = try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            return try parser.object(deferring: "nodes")
        }
        return try #require(top?.deferred)
    }

    @Test(arguments: [1, 3, 64, 100_000])
    func testRunsStartAndEndWhereMembersDo(pieceSize: Int) throws {
        let text = LoadReadingTests.output(nodes: 40)
        let runs = Self.runs(text, size: pieceSize)
        let members = try Self.members(text)
        #expect(runs.count == (pieceSize > text.utf8.count ? 1 : runs.count))
        #expect(runs.first?.lowerBound == members.starts.first)
        #expect(runs.last?.upperBound == members.ends.last)
        for run in runs {
            #expect(members.starts.contains(run.lowerBound), "run \(run) starts inside a member")
            #expect(members.ends.contains(run.upperBound), "run \(run) ends inside a member")
        }
        // Consecutive runs leave out only the comma between them.
        for (run, next) in zip(runs, runs.dropFirst()) { #expect(next.lowerBound == run.upperBound + 1) }
    }

    @Test func testARunWaitsForItsMinimumSizeUntilNodesCloses() {
        let text = LoadReadingTests.output(nodes: 40)
        let runs = Self.runs(text, size: 1, minimumBytes: 1000)
        #expect(runs.count > 1)
        #expect(runs.dropLast().allSatisfy { $0.count >= 1000 })
    }

    @Test func testOnlyTheTopLevelNodesKeyCounts() throws {
        let text =
            #"{"a":{"nodes":{"x":1,"y":2}},"b":"\"nodes\":{","nodes":{"n,{\"}":{"hostname":"h"},"m":[1,{"a":"}"}]},"z":1}"#
        let members = try Self.members(text)
        #expect(Self.runs(text, size: 1000) == [members.starts[0]..<members.ends[1]])
        #expect(Self.runs(text, size: 1) == [members.starts[0]..<members.ends[0], members.starts[1]..<members.ends[1]])
    }

    @Test(arguments: [#"{"nodes":{}}"#, #"{"nodes":[{"a":1}]}"#, #"{"nodes":1}"#, #"[{"nodes":{"a":1}}]"#, #"{"x":{"#])
    func testNoRunWithoutMembersOfATopLevelNodesObject(text: String) {
        #expect(Self.runs(text, size: 2).isEmpty)
    }
}
