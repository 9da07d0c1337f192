@testable import DeployKit

/// `deploy` outputs shaped like what `LoadExpression` returns, shared by the config and selection tests.
enum ConfigFixtures {
    /// A small fleet: three plain nodes, one whose name has dots, and settings at every level.
    static let fleet: JSONValue = [
        "sshUser": "deploy",
        "sshOpts": ["-o", "ConnectTimeout=5"],
        "confirmTimeout": 60,
        "nodes": [
            "web1": [
                "hostname": "10.0.0.1",
                "sshOpts": ["-p", "2222"],
                "magicRollback": false,
                "profilesOrder": ["system", "app"],
                "profiles": [
                    "app": ["__deployshHasPath": true, "user": "app", "sshOpts": ["-v"]],
                    "system": ["__deployshHasPath": true, "user": "root", "confirmTimeout": 90],
                    "aaa": ["__deployshHasPath": true],
                ],
            ],
            "web2": [
                "hostname": "10.0.0.2",
                "profiles": ["system": ["__deployshHasPath": true, "user": "root"]],
            ],
            "db1": [
                "hostname": "10.0.0.3",
                "profiles": [
                    "system": ["__deployshHasPath": true, "user": "root"],
                    "backup": ["__deployshHasPath": true, "user": "root", "profilePath": "/srv/backup-profile"],
                ],
            ],
            "web.example.com": [
                "hostname": "web.example.com",
                "profiles": ["system": ["__deployshHasPath": true]],
            ],
        ],
    ]

    /// `fleet` as a typed config.
    static func config() throws -> DeployConfig {
        try DeployConfig(json: fleet)
    }
}
