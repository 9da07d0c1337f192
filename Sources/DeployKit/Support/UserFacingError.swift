/// An error deploysh can explain to a person: what failed, and what to do next.
///
/// Every error that can reach the shell conforms, so the renderers can print one
/// layout (`error: MESSAGE` then `hint: HINT`) for all of them.
package protocol UserFacingError: Error, Sendable {
    /// One line, lower-case, naming the input: "no node named 'web3'".
    var message: String { get }
    /// A full sentence with the next step, or `nil` when there is none.
    var hint: String? { get }
    /// Extra lines shown under the message (a failed command line and its stderr tail).
    var details: [String] { get }
    /// The hint for the face it is shown in; `hint` unless the next step differs there.
    func hint(in face: Face) -> String?
}

extension UserFacingError {
    package var hint: String? { nil }
    package func hint(in face: Face) -> String? { hint }
    package var details: [String] { [] }
}

/// A broken invariant inside deploysh, never the user's fault.
///
/// Used instead of `fatalError` so a bug surfaces as a readable error rather than a crash.
package struct InternalError: UserFacingError, Equatable {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }

    package var message: String { "internal error: \(description)" }
    package var hint: String? { "Please report this as a bug in deploysh." }
}
