{
  description = "deploysh demo: two local test nodes started by `scripts/demo` (or `scripts/testbed up 2 DIR --base BASE`)";

  outputs = { self }:
    let
      system = "x86_64-linux";
      # `scripts/demo` writes ./testbed.nix ({ base = "127.0.10"; directory = "/tmp/deploysh-demo"; })
      # from DEPLOYSH_DEMO_BASE and DEPLOYSH_DEMO_DIR; without it, these defaults are used.
      where = if builtins.pathExists ./testbed.nix then import ./testbed.nix
        else { base = "127.0.10"; directory = "/tmp/deploysh-demo"; };
      testbed = where.directory;
      # A deploy-rs style profile: a store path with `deploy-rs-activate` at its root.
      profile = name: activation: builtins.derivation {
        inherit name system activation;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ "-c" "mkdir -p $out && echo $name > $out/name && printf '#!/bin/sh\\n%s\\n' \"$activation\" > $out/deploy-rs-activate && chmod +x $out/deploy-rs-activate" ];
      };
      keys = node: "${testbed}/${node}/authorized_keys";
      # Keeps a copy of the deployer's key the first time, so a good profile can restore it.
      saveKeys = node: "[ -e ${keys node}.saved ] || cp ${keys node} ${keys node}.saved";
      good = node: version: profile "${node}-system-${version}" ''
        ${saveKeys node}
        cp ${keys node}.saved ${keys node}
        echo "${node}: system ${version} is active"
      '';
    in {
      deploy = {
        sshUser = "root";
        user = "root";
        sshOpts = [ "-F" "${testbed}/ssh_config" ];
        # Long enough to type `confirm` after `activate --no-confirm` in the step-through.
        confirmTimeout = 60;
        nodes = {
          web1 = {
            hostname = "${where.base}.1";
            profilesOrder = [ "system" ];
            profiles = {
              system.path = good "node1" "v1";
              # Fails to activate: auto rollback puts v1 back.
              broken = {
                profilePath = "/nix/var/nix/profiles/system";
                path = profile "node1-broken" "echo 'starting the service... it crashed' >&2; exit 1";
              };
              # Activates fine but locks the deployer out: magic rollback puts v1 back.
              lockout = {
                profilePath = "/nix/var/nix/profiles/system";
                confirmTimeout = 5;
                path = profile "node1-lockout" "${saveKeys "node1"}; : > ${keys "node1"}; echo 'authorized_keys emptied'";
              };
            };
          };
          web2 = {
            hostname = "${where.base}.2";
            profiles.system.path = good "node2" "v1";
          };
        };
      };
    };
}
