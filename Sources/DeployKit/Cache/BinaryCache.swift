/// A flake's `binaryCache` attribute set (deploysh's own; deploy-rs ignores it), at the top of
/// `deploy` or in a node: where a deploy uploads closures once, and where nodes pull them from.
///
/// Each field may be left out; a node's fields override the top level's one by one, so nodes in
/// another region can pull from another cache while every node shares the upload.
package struct BinaryCache: Sendable, Hashable, Codable {
    /// The store URL the deployer uploads to (`file://`, `http(s)://`, `ssh-ng://`, `s3://`).
    package var pushTo: String?
    /// The substituter URL the nodes pull from (default: `pushTo`).
    package var pullFrom: String?
    /// The public key the nodes check the uploads against (`NAME:BASE64`); default: the one
    /// of the key that signs the uploads.
    package var publicKey: String?

    /// The attributes `binaryCache` takes.
    package static let attributes = ["pushTo", "pullFrom", "publicKey"]

    package init(pushTo: String? = nil, pullFrom: String? = nil, publicKey: String? = nil) {
        self.pushTo = pushTo
        self.pullFrom = pullFrom
        self.publicKey = publicKey
    }

    /// Reads the well-typed fields of a `binaryCache` value; ``SchemaChecker`` reports the rest.
    package init?(json: JSONValue?) {
        guard let object = json?.objectValue else { return nil }
        self.init(
            pushTo: object["pushTo"]?.stringValue,
            pullFrom: object["pullFrom"]?.stringValue,
            publicKey: object["publicKey"]?.stringValue
        )
    }

    /// These fields, with each field `higher` sets taking its place.
    package func overlaid(by higher: BinaryCache?) -> BinaryCache {
        guard let higher else { return self }
        return BinaryCache(
            pushTo: higher.pushTo ?? pushTo,
            pullFrom: higher.pullFrom ?? pullFrom,
            publicKey: higher.publicKey ?? publicKey
        )
    }

    /// Whether no field is set.
    package var isEmpty: Bool { pushTo == nil && pullFrom == nil && publicKey == nil }

    /// The problems of a `binaryCache` value, each with the attribute it concerns (empty: fine).
    package static func problems(in value: JSONValue) -> [(attribute: String?, message: String)] {
        guard let object = value.objectValue else {
            return [(nil, "expected an attribute set, got \(value.typeName)")]
        }
        var problems: [(String?, String)] = []
        for (key, field) in object.sorted(by: { $0.key < $1.key }) {
            guard attributes.contains(key) else {
                let near = NameSuggestions.nearest(to: key, in: attributes).first
                problems.append((key, near.map { "unknown attribute; did you mean '\($0)'?" } ?? "unknown attribute"))
                continue
            }
            if field.isNull { continue }
            guard let text = field.stringValue else {
                problems.append((key, "expected a string, got \(field.typeName)"))
                continue
            }
            let problem = key == "publicKey" ? CacheKey.publicKeyProblem(text) : StoreURL.problem(with: text)
            if let problem { problems.append((key, "\(DisplayText.quoted(text)) \(problem)")) }
        }
        return problems
    }
}
