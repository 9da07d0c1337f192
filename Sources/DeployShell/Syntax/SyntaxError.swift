import DeployKit

/// A script or command line that cannot be tokenized or parsed.
///
/// Carries the exact location so the renderer can print `FILE:LINE:COLUMN: error: ...`.
package struct SyntaxError: UserFacingError, Equatable {
    package var location: SourceLocation
    package var message: String
    package var hint: String?

    package init(_ message: String, at location: SourceLocation, hint: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
    }
}
