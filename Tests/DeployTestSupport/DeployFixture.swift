import Foundation

/// A test flake whose nodes are the nodes of a testbed, with profiles whose activations
/// leave markers on the host, so a test can count how often each one ran.
package struct DeployFixture: Sendable {
    package var testbed: Testbed
    /// A host directory where activations write their markers.
    package var markers: String
    /// Makes every derivation of this fixture new (no store path shared with other tests).
    package var nonce: String

    package init(testbed: Testbed) throws {
        self.testbed = testbed
        // Nodes have a private /tmp, but the testbed's own directory stays visible inside them.
        self.markers = testbed.directory + "/markers-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true)
        self.nonce = "n" + UUID().uuidString.prefix(8).lowercased()  // a letter first: not a version
    }

    /// A profile whose activation appends `name` to the marker file `name` and then runs `extra`.
    package func profile(_ name: String, extra: String = "") -> String {
        let marker = markers + "/" + name
        let activation = "echo \"$PROFILE $DRY_ACTIVATE $BOOT\" >> '\(marker)'" + (extra.isEmpty ? "" : "\n" + extra)
        return FlakeFixtures.profile("\(name)-\(nonce)", activation: activation)
    }

    /// How many times the activation of `name` ran, with its `PROFILE DRY BOOT` lines.
    package func activations(of name: String) -> [String] {
        let text = (try? String(contentsOfFile: markers + "/" + name, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Writes the flake: `nodes` maps a node name to (node index, Nix text of its profiles attrset).
    package func write(
        nodes: [(name: String, index: Int, profiles: String)],
        settings: String = "confirmTimeout = 20;"
    ) throws -> String {
        let nodeText = nodes.map { node in
            "\(FlakeFixtures.nixString(node.name)) = { hostname = \(FlakeFixtures.nixString(testbed.address(node.index))); profiles = \(node.profiles); };"
        }.joined(separator: "\n    ")
        return try FlakeFixtures.write(
            deploy: """
                {
                    sshUser = "root";
                    user = "root";
                    sshOpts = [ "-F" \(FlakeFixtures.nixString(testbed.sshConfig)) ];
                    \(settings)
                    nodes = {
                    \(nodeText)
                    };
                  }
                """,
            name: "deployflake"
        )
    }
}
