# Sourced by scripts: the Nix settings for this machine (no sandbox, no binary cache, flakes on).
export NIX_CONFIG=$'experimental-features = nix-command flakes\nbuild-users-group =\nsubstituters =\nsandbox = false'
export PATH="/opt/swift/usr/bin:$PATH"
