#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `--apply` function that evaluates the store paths of the selected profiles, and only those.
///
/// Applied to the flake's `deploy` output, it returns a JSON-able list with one entry per
/// profile, in the order given:
/// `[{ node = "web1"; profile = "system"; outputPath = "/nix/store/…"; drvPath = "/nix/store/….drv" or null; }]`.
/// A `path` that is a derivation gives its `outPath` and `drvPath`; a plain store-path string
/// gives itself and a `null` `drvPath`. String context is discarded so `builtins.toJSON` (and
/// `nix eval --json`) accept the values; `ProfileEvaluator` reads the list.
///
/// The key is `outputPath`, not `outPath`: `builtins.toJSON` writes any attribute set that has
/// an `outPath` as that string alone, which would lose the other keys.
package enum PlanExpression {
    /// The function text for `profiles`, to pass as `nix eval --json FLAKE#deploy --apply TEXT`.
    ///
    /// Every name goes through `NixExpression`, so any node or profile name is safe.
    package static func applyFunction(for profiles: [ProfileRef]) -> String {
        let entries = profiles.map { ref in
            let path = NixExpression.attrPath(["nodes", ref.node, "profiles", ref.profile, "path"])
            return "    (entry \(NixExpression.string(ref.node)) \(NixExpression.string(ref.profile)) deploy.\(path))"
        }
        return """
            deploy:
            let
              discard = builtins.unsafeDiscardStringContext;
              entry = node: profile: path: {
                inherit node profile;
                outputPath = discard (if builtins.isAttrs path then path.outPath else "${path}");
                drvPath = if builtins.isAttrs path && path ? drvPath then discard path.drvPath else null;
              };
            in
            [

            """ + entries.joined(separator: "\n") + (entries.isEmpty ? "" : "\n") + "]\n"
    }

    /// Above this many bytes of `--apply` text, the selection goes through a file instead.
    ///
    /// Linux limits one argument to 128 KiB (`MAX_ARG_STRLEN`); the inline text reaches it at
    /// about 1560 profiles.
    package static let inlineLimit = 64 * 1024

    /// The function text that reads the selection from `file` (written by ``selectionJSON(for:)``),
    /// for selections too large for one argument. Needs `nix eval --impure` to read the file.
    ///
    /// Only the listed profiles' `path` is evaluated, as with ``applyFunction(for:)``.
    package static func applyFunction(readingSelectionFrom file: String) -> String {
        """
        deploy:
        let
          discard = builtins.unsafeDiscardStringContext;
          entry = s: let path = deploy.nodes.${s.node}.profiles.${s.profile}.path; in {
            inherit (s) node profile;
            outputPath = discard (if builtins.isAttrs path then path.outPath else "${path}");
            drvPath = if builtins.isAttrs path && path ? drvPath then discard path.drvPath else null;
          };
        in
        map entry (builtins.fromJSON (builtins.readFile \(NixExpression.string(file))))

        """
    }

    /// Whether the inline text for `profiles` could fit in ``inlineLimit``, from a lower bound of
    /// its length (each entry quotes both names and adds 50 bytes): a large selection goes
    /// through a file without the inline text being built first.
    package static func mayFitInline(_ profiles: [ProfileRef]) -> Bool {
        var bytes = 0
        for ref in profiles {
            bytes += 2 * (ref.node.utf8.count + ref.profile.utf8.count) + 50
            if bytes > inlineLimit { return false }
        }
        return true
    }

    /// The selection as JSON, `[{"node":..,"profile":..}]`, in order: the file the function reads.
    ///
    /// Written directly in one pass (names escaped by ``jsonString(_:)``), without an encoder: a
    /// selection this large has thousands of entries.
    package static func selectionJSON(for profiles: [ProfileRef]) -> Data {
        var text = "["
        text.reserveCapacity(profiles.count * 48)
        for (index, ref) in profiles.enumerated() {
            if index > 0 { text += "," }
            text += #"{"node":"# + jsonString(ref.node) + #","profile":"# + jsonString(ref.profile) + "}"
        }
        text += "]"
        return Data(text.utf8)
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        // Printable ASCII without quotes or backslashes (most names) is written as it is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
