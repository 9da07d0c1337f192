{
  description = "An example fleet for deploysh: no inputs, no nixpkgs, builds with /bin/sh only";

  outputs = { self }:
    let
      system = "x86_64-linux";
      # A profile in deploy-rs's shape: a store path with a `deploy-rs-activate` script at its root.
      profile = name: activation: builtins.derivation {
        inherit name system;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ "-c" ''
          mkdir -p $out
          echo ${name} > $out/name
          printf '#!/bin/sh\n%s\n' '${activation}' > $out/deploy-rs-activate
          chmod +x $out/deploy-rs-activate
        '' ];
      };
    in {
      deploy = {
        sshUser = "root";
        confirmTimeout = 20;
        nodes = {
          web1 = {
            hostname = "127.0.10.1";
            profilesOrder = [ "system" ];
            fastConnection = true;
            profiles = {
              system = { user = "root"; path = profile "web1-system" "echo web1 system activated"; };
              app = { user = "root"; path = profile "web1-app" "echo web1 app activated"; magicRollback = false; };
            };
          };
          web2 = {
            hostname = "127.0.10.2";
            sshOpts = [ "-o" "ServerAliveInterval=5" ];
            profiles.system = { user = "root"; path = profile "web2-system" "echo web2 system activated"; };
          };
          "db.internal" = {
            hostname = "127.0.10.3";
            profiles.system = { user = "root"; path = profile "db-system" "echo db activated"; autoRollback = false; };
            profiles.broken = { path = throw "this profile is broken on purpose; load and show still work"; };
          };
        };
      };
    };
}
