/// One target's generations as read from its node, or why they could not be read.
///
/// `generations` over several nodes reports every target, so a node that is down shows as
/// its own failed row instead of hiding the others.
package struct GenerationsRead: Sendable {
    package var ref: ProfileRef
    package var result: Result<[Generation], DeployError>

    package init(ref: ProfileRef, result: Result<[Generation], DeployError>) {
        self.ref = ref
        self.result = result
    }
}
