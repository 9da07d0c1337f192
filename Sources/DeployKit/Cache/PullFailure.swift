/// Why a node could not substitute its closure from the cache, read from what its Nix printed,
/// with the fix for that cause (never "turn signature checks off").
package struct PullFailure: Sendable, Hashable {
    package var message: String
    package var hint: String

    /// The cause of a failed `nix-store --realise` from `substituter`, run as `user`.
    package static func reason(_ result: CommandResult, substituter: String, user: String?) -> PullFailure {
        let lines = result.standardErrorTail
        let lowered = lines.map { $0.lowercased() }
        func has(_ text: String) -> Bool {
            let text = text.lowercased()
            return lowered.contains { $0.contains(text) }
        }
        let who = user.map { "user '\($0)'" } ?? "the ssh user"
        if result.status == .exited(255) && !has("nix-store") {
            return PullFailure(
                message: "ssh failed (exit status 255)",
                hint: "Check the ssh access to the node."
            )
        }
        if has("ignoring untrusted substituter") {
            return PullFailure(
                message: "the node's nix-daemon does not let \(who) add the substituter \(substituter)",
                hint: "On the node, add \(substituter) to trusted-substituters and the cache's key to "
                    + "trusted-public-keys in nix.conf, or make \(who) a trusted user."
            )
        }
        if has("not signed by any of the keys") || has("lacks a valid signature") {
            return PullFailure(
                message: "the node's trusted-public-keys do not include the key the cache's paths are signed with",
                hint: "Add the signing key's public half to the node's trusted-public-keys (or give it as "
                    + "binaryCache.publicKey); deploysh never turns signature checks off."
            )
        }
        if has("unable to download") || has("couldn't connect") || has("could not resolve") || has("timed out")
            || has("connection refused")
        {
            return PullFailure(
                message: "the node cannot reach \(substituter)",
                hint: "Check that the node can reach pullFrom (its DNS, routes and firewall), or give the node "
                    + "a binaryCache.pullFrom it can reach."
            )
        }
        if has("No space left on device") {
            return PullFailure(
                message: "the node is out of disk space",
                hint: "Free space on the node (`nix-store --gc`), then deploy again."
            )
        }
        let last = lines.last(where: { !$0.isEmpty }).map { ": " + String(DisplayText.visible($0).prefix(160)) } ?? ""
        return PullFailure(
            message: "nix-store --realise failed (\(result.status))\(last)",
            hint: "Run the pull on the node by hand to see why: nix-store --realise PATH --option extra-substituters "
                + substituter + "."
        )
    }
}
