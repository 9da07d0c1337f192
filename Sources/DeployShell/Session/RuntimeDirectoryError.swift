import DeployKit

/// The private runtime directory could not be made safely.
package enum RuntimeDirectoryError: UserFacingError, Equatable, CustomStringConvertible {
    case unsafeBase(path: String, problem: String)
    case cannotCreate(base: String, reason: String)

    package var message: String {
        switch self {
        case .unsafeBase(let path, let problem):
            "the runtime directory base '\(path)' \(problem)"
        case .cannotCreate(let base, let reason):
            "cannot create a private runtime directory under '\(base)': \(reason)"
        }
    }

    package var hint: String? {
        "Point XDG_RUNTIME_DIR or TMPDIR at a directory only you can write (chmod 700), or unset them to use /tmp."
    }

    package var description: String { message + "\n" + (hint.map { "hint: " + $0 } ?? "") }
}
