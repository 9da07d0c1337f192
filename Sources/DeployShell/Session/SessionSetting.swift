/// A setting of the shell itself, not of deploy-rs: typed after `set` like the flake's settings.
///
/// `set jobs N` bounds the nodes worked on at once, `set logDir DIR` writes one log per node.
package enum SessionSetting: String, CaseIterable, Sendable {
    case jobs
    case logDir
}
