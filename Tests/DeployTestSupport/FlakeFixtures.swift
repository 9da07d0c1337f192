import Foundation

/// Writes small test flakes (no inputs, no nixpkgs) into temporary directories.
///
/// Profiles are `builtins.derivation`s built by `/bin/sh`, so nothing is downloaded.
package enum FlakeFixtures {
    /// Nix text for a profile derivation whose `deploy-rs-activate` runs `activation` (sh code).
    package static func profile(_ name: String, activation: String = "true") -> String {
        """
        (builtins.derivation {
              name = \(nixString(name));
              system = \(nixString(system));
              builder = "/bin/sh";
              PATH = "/usr/bin:/bin";
              activation = \(nixString(activation));
              args = [ "-c" "mkdir -p $out && printf '#!/bin/sh\\n%s\\n' \\"$activation\\" > $out/deploy-rs-activate && chmod +x $out/deploy-rs-activate && echo $name > $out/name" ];
            })
        """
    }

    /// The Nix system of this machine (flakes are pure: no `builtins.currentSystem`).
    package static var system: String {
        #if arch(arm64)
            "aarch64-linux"
        #else
            "x86_64-linux"
        #endif
    }

    /// Writes `flake.nix` whose `deploy` output is `deploy` (Nix text); returns a `path:` reference.
    package static func write(deploy: String, name: String = "flake") throws -> String {
        let directory = try TestEnvironment.temporaryDirectory(name)
        let text = """
            {
              outputs = { self }: {
                deploy = \(deploy);
              };
            }
            """
        try text.write(to: directory.appendingPathComponent("flake.nix"), atomically: true, encoding: .utf8)
        return "path:" + directory.path
    }

    /// A Nix string literal (test-side; the product uses `NixExpression`).
    package static func nixString(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "$": escaped += "\\$"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }
}
