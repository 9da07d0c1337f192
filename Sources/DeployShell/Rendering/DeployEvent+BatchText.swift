import DeployKit

extension DeployEvent.BatchInfo {
    /// `batch 1 (2/3)`: the index as everywhere else (from 0), then how far the rollout is.
    var title: String {
        "batch \(index)" + (count.map { " (\(index + 1)/\($0))" } ?? "")
    }

    /// The line a batch's start or end leaves: `batch 1 (2/3) started: web1, web2`,
    /// `batch 1 (2/3) done` (node names with control characters visible, past eight counted).
    var line: String {
        guard status == "started" else { return title + " " + status }
        let names = nodes.prefix(8).map { DisplayText.visible($0) }.joined(separator: ", ")
        return title + " started: " + names + (nodes.count > 8 ? " and \(nodes.count - 8) more" : "")
    }

    /// The header above the nodes of the running batch: `batch 1 (2/3): 2 nodes`.
    var header: String {
        title + ": \(nodes.count) node" + (nodes.count == 1 ? "" : "s")
    }
}
