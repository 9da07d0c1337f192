/// A profile whose `path` evaluated to something other than a store path: nothing is built.
///
/// deploy-rs hands `path` to `nix-env --set`; a value such as `--version`, `/etc`, a relative
/// path or a flake reference must stop here, named, before it reaches nix or a node.
package struct ProfilePathError: UserFacingError, Equatable {
    package var ref: ProfileRef
    package var value: String

    package init(ref: ProfileRef, value: String) {
        self.ref = ref
        self.value = value
    }

    package var message: String {
        "deploy.nodes.\(ProfileRef.quotedIfNeeded(ref.node)).profiles.\(ProfileRef.quotedIfNeeded(ref.profile)).path "
            + "is '\(DisplayText.visible(value))', not a store path; nothing was built"
    }

    package var hint: String? {
        "A profile's `path` must be a derivation or a path in /nix/store "
            + "(for example `deploy-rs.lib.x86_64-linux.activate.nixos self.nixosConfigurations.web`)."
    }
}

/// What counts as a deployable store path: `/nix/store/NAME`, one component, no `..`.
package enum StorePathRule {
    package static let storeDirectory = "/nix/store/"

    package static func isTopLevelStorePath(_ path: String) -> Bool {
        guard path.hasPrefix(storeDirectory) else { return false }
        let name = path.dropFirst(storeDirectory.count)
        return !name.isEmpty && !name.contains("/") && name != "." && name != ".." && !name.hasPrefix("-")
    }
}
