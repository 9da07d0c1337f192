/// deploysh's version, printed by `deploysh deploy -V`.
package enum DeployshVersion {
    package static let current = "0.1.0"
}
