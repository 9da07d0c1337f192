# deploysh activator boot (docs/testbed.md): runs an activator installed by `--install`.
# sh -c BOOT deploysh-activator TEMPPATH SHA256 SUBCOMMAND ARGS...
# Checks TEMPPATH/deploysh-UID (ours, mode 700, no symlink) and activator-SHA256.sh in it
# (a regular file of ours), verifies its sha256, then runs it as the full form does.
# Anything wrong: deploysh:result=not-installed, exit 97, nothing else done.
no() {
    printf 'deploysh:result=not-installed\n'
    printf 'deploysh: %s\n' "$1" >&2
    exit 97
}
[ $# -ge 3 ] || no 'usage: TEMPPATH SHA256 SUBCOMMAND ARGS...'
t=$1 h=$2
shift 2
case $t in /*) ;; *) no "temp path '$t' is not absolute" ;; esac
case $h in *[!0-9a-f]*) no "bad sha256 '$h'" ;; esac
[ ${#h} = 64 ] || no "bad sha256 '$h'"
u=$(id -u) || no 'no uid'
m=$(stat -c '%u %a' -- "$t/") || no "no $t"
o=${m%% *} m=${m#* }
[ "$o" = 0 ] || [ "$o" = "$u" ] || no "$t belongs to uid $o"
[ $((0$m & 022)) = 0 ] || [ $((0$m & 01000)) != 0 ] || no "$t is writable by others and not sticky"
r=${t%/}/deploysh-$u
f=$r/activator-$h.sh
[ "$(stat -c '%u %a %F' -- "$r")" = "$u 700 directory" ] || no "$r is not a private directory"
[ "$(stat -c '%u %F' -- "$f")" = "$u regular file" ] || no "$f is missing or not ours"
DEPLOYSH_SOURCE=$(cat -- "$f" && echo .) || no "cannot read $f"
DEPLOYSH_SOURCE=${DEPLOYSH_SOURCE%.}
[ "$(printf '%s' "$DEPLOYSH_SOURCE" | sha256sum)" = "$h  -" ] || no "$f does not match its sha256"
unset t h u m o r f
unset -f no
export DEPLOYSH_SOURCE
eval "$DEPLOYSH_SOURCE"
