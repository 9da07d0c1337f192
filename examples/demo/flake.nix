{
  description = "deploysh demo: two local test nodes started by `scripts/testbed up 2 /tmp/deploysh-demo --base 127.0.10`";

  outputs = { self }:
    let
      system = "x86_64-linux";
      testbed = "/tmp/deploysh-demo";
      # A deploy-rs style profile: a store path with `deploy-rs-activate` at its root.
      profile = name: activation: builtins.derivation {
        inherit name system activation;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ "-c" "mkdir -p $out && echo $name > $out/name && printf '#!/bin/sh\\n%s\\n' \"$activation\" > $out/deploy-rs-activate && chmod +x $out/deploy-rs-activate" ];
      };
      keys = node: "${testbed}/${node}/authorized_keys";
      good = node: version: profile "${node}-system-${version}" ''
        cp ${keys node}.saved ${keys node}
        echo "${node}: system ${version} is active"
      '';
    in {
      deploy = {
        sshUser = "root";
        user = "root";
        sshOpts = [ "-F" "${testbed}/ssh_config" ];
        confirmTimeout = 5;
        nodes = {
          web1 = {
            hostname = "127.0.10.1";
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
                path = profile "node1-lockout" ": > ${keys "node1"}; echo 'authorized_keys emptied'";
              };
            };
          };
          web2 = {
            hostname = "127.0.10.2";
            profiles.system.path = good "node2" "v1";
          };
        };
      };
    };
}
