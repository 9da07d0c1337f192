/// The `--apply` function that `load` passes to `nix eval --json` on the flake's `deploy` output.
///
/// It returns `deploy` with each profile's `path` removed, so no profile is built or even
/// evaluated by `load` (a NixOS profile costs seconds, and one that throws must not stop the
/// others from loading). A profile without `path` gets `__deployshHasPath = false` instead (`p ?
/// path` tests for the attribute without evaluating it); one with a `path` gets no marker, so
/// the JSON of a 1000-node fleet is not a third markers. A `deploy`, `nodes`, node or `profiles`
/// that is not an attribute set is returned unchanged, for `SchemaChecker` to report.
package enum LoadExpression {
    /// The attribute that marks a profile without `path` (`false`); absent when there is one.
    package static let hasPathAttribute = "__deployshHasPath"

    /// The function text, to pass as `nix eval --json FLAKE#deploy --apply TEXT`.
    package static let applyFunction = """
        deploy:
        let
          isAttrs = builtins.isAttrs;
          stripProfile = name: p:
            if isAttrs p
            then (if p ? path then builtins.removeAttrs p [ "path" ] else p // { \(hasPathAttribute) = false; })
            else p;
          stripNode = name: n:
            if isAttrs n && n ? profiles && isAttrs n.profiles
            then n // { profiles = builtins.mapAttrs stripProfile n.profiles; }
            else n;
        in
        if isAttrs deploy && deploy ? nodes && isAttrs deploy.nodes
        then deploy // { nodes = builtins.mapAttrs stripNode deploy.nodes; }
        else deploy
        """
}
