/// Nix answered, but not in a way deploysh can use.
package enum NixError: UserFacingError, Hashable {
    case invalidJSON(flake: String, invocation: Invocation)
    case unknownVersion(output: String)

    package var message: String {
        switch self {
        case .invalidJSON(let flake, _): "nix eval printed something that is not JSON for flake '\(flake)'"
        case .unknownVersion(let output): "cannot read the Nix version from '\(output)'"
        }
    }

    package var hint: String? {
        switch self {
        case .invalidJSON: "Check that the evaluated value has no functions in it (`eval` shows it)."
        case .unknownVersion: "Check that `nix --version` works in this shell."
        }
    }

    package var details: [String] {
        switch self {
        case .invalidJSON(_, let invocation): ["$ " + invocation.commandLine]
        case .unknownVersion: []
        }
    }
}
