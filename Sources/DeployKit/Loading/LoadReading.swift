#if canImport(Glibc)
    import Glibc
#endif

/// Reads `load`'s JSON into the raw value and the typed configuration in one go, a large
/// fleet's nodes split over the cores: each part parses its nodes and reads them (schema
/// check and model) before the parts are joined, in name order.
///
/// Parsing a 1000-node output and then reading it took longer than half of the `nix eval`
/// that produced it; in parts, both run on every core, and `read(streaming:)` reads most
/// parts while Nix is still printing. The result equals `JSONValue.parse` followed by
/// `DeployConfig(json:)`, errors included.
package enum LoadReading {
    /// Below this many nodes per part, another task costs more than it saves.
    static let nodesPerPart = 200

    /// The parsed output and its configuration.
    ///
    /// - Throws: `JSONParser.ParseError` when the text is not JSON; `ConfigError` as
    ///   `DeployConfig(json:)` throws it.
    package static func read(_ text: String) async throws -> (raw: JSONValue, config: DeployConfig) {
        try await finish(Array(text.utf8), readAhead: [])
    }

    /// The parsed output and its configuration from the output's pieces as they arrive: runs
    /// of whole nodes (of `readAheadBytes` or more) are read while the rest is still coming,
    /// and the rest as soon as the top-level object has closed (Nix is still exiting then);
    /// that counts only if nothing but blanks follows it.
    ///
    /// - Throws: as `read(_:)`; `CancellationError` when cancelled before the end.
    package static func read(
        streaming pieces: AsyncStream<[UInt8]>,
        readAheadBytes: Int = 16 << 10
    ) async throws -> (raw: JSONValue, config: DeployConfig) {
        var received = pieces.makeAsyncIterator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 << 10)
        var scanner = NodesScanner()
        let readAhead = await withTaskGroup(of: ReadAhead.self) { group in
            while !scanner.isComplete, let piece = await received.next() {
                bytes.append(contentsOf: piece)
                bytes.withUnsafeBufferPointer { scanner.scan($0) }
                while let run = scanner.nextRun(minimumBytes: readAheadBytes) {
                    // A copy of the run: the whole text keeps growing (and moving) meanwhile.
                    let copy = Array(bytes[run])
                    group.addTask {
                        ReadAhead(range: run, part: Result { try readPart(copy, 0..<copy.count, at: run) })
                    }
                }
            }
            var done: [ReadAhead] = []
            for await part in group { done.append(part) }
            return done.sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
        try Task.checkCancellation()
        return try await JSONCompletion.readEarly(bytes, isComplete: scanner.isComplete, rest: &received) {
            try await finish($0, readAhead: readAhead)
        }
    }

    private typealias Part = (members: [JSONObject.Member], nodes: [Node], problems: [SchemaProblem])

    /// A run of nodes read before the whole text was there (not yet checked against it).
    private struct ReadAhead: Sendable {
        var range: Range<Int>
        var part: Result<Part, any Error>
    }

    /// Reads the whole text `bytes`, using the parts of `readAhead` whose ranges the full scan
    /// confirms as runs of whole members, and reading the rest in parts now.
    private static func finish(
        _ bytes: [UInt8],
        readAhead: [ReadAhead]
    ) async throws -> (raw: JSONValue, config: DeployConfig) {
        let top = try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            return try parser.object(deferring: "nodes")
        }
        guard let top, let nodes = top.deferred, !top.members.contains(where: { $0.name == "nodes" }) else {
            // Not the usual shape: the plain reader says what is wrong with it.
            let raw = try JSONValue.parse(String(decoding: bytes, as: UTF8.self))
            return (raw, try DeployConfig(json: raw))
        }
        let plan = partPlan(members: nodes, readAhead: readAhead, bytes: bytes)
        let read = try await withThrowingTaskGroup(of: (Int, Result<Part, any Error>).self) { group in
            var results = [Result<Part, any Error>?](repeating: nil, count: plan.count)
            for (index, item) in plan.enumerated() {
                switch item {
                case .done(let part): results[index] = part
                case .toRead(let range): group.addTask { (index, Result { try readPart(bytes, range, at: range) }) }
                }
            }
            for try await (index, result) in group { results[index] = result }
            // The first error in name order: the same error whatever finished first.
            return try results.map { try ($0 ?? .failure(CancellationError())).get() }
        }
        let members = read.flatMap(\.members)
        let nodesObject = JSONObject(read: members)
        var deploy = JSONObject(read: top.members)
        deploy["nodes"] = .object(nodesObject)
        let raw = JSONValue.object(deploy)
        let config = try DeployConfig(
            deploy: deploy,
            read: (nodes: read.flatMap(\.nodes), problems: read.flatMap(\.problems)),
            nodesInOrder: zip(members, members.dropFirst()).allSatisfy { $0.name < $1.name }
        )
        return (raw, config)
    }

    private enum PlannedPart {
        case done(Result<Part, any Error>)
        case toRead(Range<Int>)
    }

    /// The parts that make up the `nodes` object, in order: the read-ahead runs that start and
    /// end where its members do, and the members between them split into parts to read.
    private static func partPlan(
        members: (starts: [Int], ends: [Int]),
        readAhead: [ReadAhead],
        bytes: [UInt8]
    ) -> [PlannedPart] {
        var plan: [PlannedPart] = []
        var next = 0  // the first member not yet in the plan
        func readMembers(upTo end: Int) {
            let count = end - next
            guard count > 0 else { return }
            let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            let parts = max(1, min(cores, count / nodesPerPart))
            let size = (count + parts - 1) / parts
            var first = next
            while first < end {
                let last = min(end, first + size) - 1
                plan.append(.toRead(members.starts[first]..<members.ends[last]))
                first = last + 1
            }
            next = end
        }
        for run in readAhead {
            let range = trimmingBlanks(run.range, in: bytes)
            guard let first = index(of: range.lowerBound, in: members.starts), first >= next,
                let last = index(of: range.upperBound, in: members.ends), last >= first
            else { continue }
            readMembers(upTo: first)
            plan.append(.done(run.part))
            next = last + 1
        }
        readMembers(upTo: members.starts.count)
        return plan
    }

    /// The index of `offset` in the ascending `offsets`, if it is there.
    private static func index(of offset: Int, in offsets: [Int]) -> Int? {
        var low = 0
        var high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if offsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low < offsets.count && offsets[low] == offset ? low : nil
    }

    private static func trimmingBlanks(_ range: Range<Int>, in bytes: [UInt8]) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, JSONParser.isBlank(bytes[lower]) { lower += 1 }
        while upper > lower, JSONParser.isBlank(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Parses the members in `range` of `bytes` (a run of whole members, without the separating
    /// commas at its ends) and reads them; a parse error's offset is made relative to where
    /// `original` starts in the whole text.
    private static func readPart(_ bytes: [UInt8], _ range: Range<Int>, at original: Range<Int>) throws -> Part {
        let members: [JSONObject.Member]
        do {
            members = try bytes.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(buffer, at: range.lowerBound)
                return try parser.members(upTo: range.upperBound)
            }
        } catch let error as JSONParser.ParseError {
            throw JSONParser.ParseError(
                offset: error.offset - range.lowerBound + original.lowerBound,
                reason: error.reason
            )
        }
        let pairs = members.map { (key: $0.name.text, value: $0.value) }
        let read = NodeReading.readPart(pairs[...])
        return (members, read.nodes, read.problems)
    }
}
