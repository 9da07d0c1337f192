#!/bin/sh
# deploysh activator: the on-target half of the activation protocol (docs/testbed.md).
#
# deploysh sends this file over ssh as
#   sh -c "DEPLOYSH_SOURCE=<this file, quoted>; export DEPLOYSH_SOURCE; eval \"\$DEPLOYSH_SOURCE\"" \
#       deploysh-activator [--install TEMPPATH SHA256] CMD ARGS...
# (every word quoted by RemoteShell.quote), so the target needs only sh, coreutils and nix-env.
# With `--install`, it first saves its own text as TEMPPATH/deploysh-UID/activator-SHA256.sh;
# later calls can then send only activator-boot.sh, which checks and runs that file the same way.
# It can also run as a file: `sh activator.sh CMD ARGS...`.
#
# STDOUT carries only `deploysh:KEY=VALUE` lines; everything for people goes to STDERR. The
# activation's own output goes to a private file that is streamed to STDERR, so a daemon that
# keeps its output open cannot hold the ssh session.
# Exit codes: 0 ok, 1 failed, refused or rolled back, 2 timed out, 64 usage, 70 nix-env --set
# failed, 75 profile locked by another deployment (97, not installed, comes from activator-boot.sh).
#
# Files: everything lives in the private directory RUN=TEMPPATH/deploysh-UID (mode 700, owned by
# the user, never a symlink; checked before every use), one directory RUN/ID per deployment
# (created with mkdir, so never reused). Another user of the host can neither read nor plant
# anything there. The per-profile lock lives beside the profile, independent of TEMPPATH.
#
# Processes of one `activate`:
#   activator (this process, in the ssh session): reads the previous generation from the profile,
#     takes the lock, starts the watchdog, sets the profile, runs the activation in its own
#     session and process group (killed as a group on activationTimeout), records the outcome.
#   watchdog (setsid, SIGHUP ignored, started BEFORE the activation, not in its process tree):
#     becomes the lock's holder and gets the previous generation on its argv; when the activator
#     dies, or is stopped past activationTimeout + STOP_MARGIN, without recording an outcome, it
#     kills the activation (and the activator) and rolls back; with magic rollback it owns the
#     canary and the deadline, and only a confirm record (RUN/ID/confirmed-NONCE) confirms.
# Deadlines use /proc/uptime (monotonic, 1/100 s), never the wall clock.

set -u
umask 077
HANDSHAKE_GRACE=100 # 1/100 s added to confirmTimeout for the confirmation's new ssh connection
STOP_MARGIN=1000    # 1/100 s past activationTimeout after which the watchdog ends a stuck activator
MY_UID=$(id -u)

emit() {
    printf 'deploysh:%s=%s\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ')"
}

say() {
    printf '%s\n' "$*" >&2
}

usage() {
    emit error usage
    say "error: $1"
    say "usage: deploysh-activator [--install TEMPPATH SHA256] SUBCOMMAND ARGS..."
    say "       deploysh-activator activate PROFILE CLOSURE MODE TEMPPATH MAGIC AUTO CONFIRM_TIMEOUT ID [ACTIVATION_TIMEOUT]"
    say "       deploysh-activator wait|result TEMPPATH ID TIMEOUT"
    say "       deploysh-activator confirm TEMPPATH ID WAIT NONCE"
    say "       deploysh-activator extend TEMPPATH ID SECONDS"
    say "       deploysh-activator rollback PROFILE TEMPPATH ID|- [GENERATION]"
    say "       deploysh-activator generations PROFILE"
    say "       deploysh-activator status PROFILE TEMPPATH"
    say "       deploysh-activator profile-path USER NAME"
    exit 64
}

is_uint() {
    case $1 in '' | *[!0-9]*) return 1 ;; esac
    return 0
}

is_hex() {
    case $1 in '' | *[!0-9a-fA-F]*) return 1 ;; esac
    return 0
}

need_absolute() {
    case $2 in /*) ;; *) usage "$1 '$2' is not an absolute path" ;; esac
}

need_id() {
    is_hex "$1" || usage "deployment id '$1' is not a hex token"
}

need_uint() {
    is_uint "$2" || usage "$1 '$2' is not a whole number of seconds"
}

# ticks: a monotonic clock in 1/100 s (/proc/uptime; the wall clock only where it is missing).
ticks() {
    tk_up=
    if [ -r /proc/uptime ]; then
        read -r tk_up _ </proc/uptime || tk_up=
    fi
    case $tk_up in
    *.??) printf '%s' "$(((${tk_up%.*} * 100) + (1${tk_up#*.} - 100)))" ;;
    *) printf '%s' "$(($(date +%s) * 100))" ;;
    esac
}

stamp() {
    date -u +%Y-%m-%dT%H:%M:%SZ
}

parent_dir() {
    case $1 in
    */*) pd_dir=${1%/*} ;;
    *) pd_dir=. ;;
    esac
    [ -n "$pd_dir" ] || pd_dir=/
    printf '%s' "$pd_dir"
}

# canonical_profile PATH [create]: sets PROFILE to PATH with its directory resolved on this host
# (symlinks, `.` and `..`), so that every spelling of one profile shares one lock.
canonical_profile() {
    cp_dir=$(parent_dir "$1")
    cp_name=${1##*/}
    case $cp_name in '' | . | ..) usage "profile path '$1' does not end in a profile name" ;; esac
    if [ "${2:-}" = create ]; then (umask 022 && mkdir -p "$cp_dir") 2>/dev/null || true; fi
    if cp_real=$(cd -P -- "$cp_dir" 2>/dev/null && pwd -P); then
        PROFILE=${cp_real%/}/$cp_name
    else
        PROFILE=$1
    fi
}

# --- the private directory --------------------------------------------------------------------

# describe PATH: "PATH (owner UID, mode MODE, TYPE)" for messages.
describe() {
    de_info=$(stat -c 'owner %u, mode %a, %F' -- "$1" 2>/dev/null) || de_info=missing
    printf '%s (%s)' "$1" "$de_info"
}

# private_ok PATH...: every PATH is a real directory (not a symlink), ours, mode 700. One stat.
private_ok() {
    po_want=
    for _ in "$@"; do po_want="$po_want$MY_UID 700 directory
"
    done
    po_out=$(stat -c '%u %a %F' -- "$@" 2>/dev/null) || return 1
    [ "$po_out
" = "$po_want" ]
}

# temp_prepare CREATE: checks TEMPPATH and sets RUN; with CREATE=1 creates what is missing.
# Returns 0, or 1 (relative), 2 (unwritable), 3 (unsafe) with tp_msg set; 4: RUN does not exist.
temp_prepare() {
    tp_msg=
    case $TEMPPATH in /*) ;; *)
        tp_msg="tempPath '$TEMPPATH' is not an absolute path"
        return 1
        ;;
    esac
    if [ "$1" = 1 ] && [ ! -d "$TEMPPATH" ]; then
        mkdir -p -- "$TEMPPATH" 2>/dev/null || {
            tp_msg="cannot create the temp path $TEMPPATH"
            return 2
        }
    fi
    if tp_real=$(cd -P -- "$TEMPPATH" 2>/dev/null && pwd -P); then TEMPPATH=$tp_real; fi
    RUN=${TEMPPATH%/}/deploysh-$MY_UID
    if [ -d "$TEMPPATH" ]; then
        tp_info=$(stat -c '%u %a' -- "$TEMPPATH" 2>/dev/null) || tp_info=
        tp_owner=${tp_info%% *}
        tp_mode=${tp_info#* }
        if ! is_uint "$tp_owner" || ! is_uint "$tp_mode" ||
            { [ "$tp_owner" != 0 ] && [ "$tp_owner" != "$MY_UID" ]; } ||
            { [ $((0$tp_mode & 022)) != 0 ] && [ $((0$tp_mode & 01000)) = 0 ]; }; then
            tp_msg="the temp path $(describe "$TEMPPATH") must belong to root or uid $MY_UID and not be writable by others unless sticky"
            return 3
        fi
    elif [ "$1" = 1 ]; then
        tp_msg="the temp path $TEMPPATH is not a directory"
        return 2
    fi
    if [ ! -e "$RUN" ] && [ ! -L "$RUN" ]; then
        [ "$1" = 1 ] || return 4
        if ! mkdir -- "$RUN" 2>/dev/null && [ ! -e "$RUN" ]; then
            tp_msg="cannot create $RUN (is $TEMPPATH writable by uid $MY_UID, and not full?)"
            return 2
        fi
    fi
    private_ok "$RUN" || {
        tp_msg="$(describe "$RUN") is not a private directory of uid $MY_UID (a real directory, mode 700)"
        return 3
    }
    return 0
}

# temp_require CREATE: temp_prepare, or emits the verdict (nothing was changed) and exits 1.
# Without CREATE, a missing RUN is fine (the deployment is then simply unknown).
temp_require() {
    tr_rc=0
    temp_prepare "$1" || tr_rc=$?
    case $tr_rc in
    0) return 0 ;;
    4) return 0 ;;
    1) emit result temp-path-relative ;;
    2) emit result temp-path-unwritable ;;
    *) emit result temp-path-unsafe ;;
    esac
    say "error: nothing was changed: $tp_msg"
    [ "$tr_rc" = 2 ] && say "hint: free space in $TEMPPATH or set tempPath to a directory the profile user can write"
    exit 1
}

# --- files of one deployment ------------------------------------------------------------------

set_paths() {
    DEP=$RUN/$ID
    CANARY=$DEP/canary
    STATUS_FILE=$DEP/status
    REQUEST_FILE=$DEP/request
    DEADLINE_FILE=$DEP/deadline
    WATCH_FILE=$DEP/watch
    STATE_FILE=$DEP/state
    GROUP_FILE=$DEP/group
    OUTPUT_FILE=$DEP/output.log
    WATCHDOG_LOG=$DEP/watchdog.log
}

dep_ok() {
    private_ok "$RUN" "$DEP"
}

# dep_ensure: the deployment's directory is there and private; recreates it (and RUN) when an
# activation cleaned the temp path meanwhile.
dep_ensure() {
    dep_ok && return 0
    if [ ! -e "$RUN" ] && [ ! -L "$RUN" ]; then mkdir -- "$RUN" 2>/dev/null || true; fi
    private_ok "$RUN" || return 1
    if [ ! -e "$DEP" ] && [ ! -L "$DEP" ] && mkdir -- "$DEP" 2>/dev/null; then
        say "$(stamp) note: $DEP had disappeared (was the temp path cleaned?): created it again"
        # The watchdog marks itself again, so that `result` keeps waiting for its verdict.
        if [ "${IS_WATCHDOG:-0}" = 1 ]; then printf '%s\n%s\n' "$$" "$(proc_start "$$")" >"$WATCH_FILE"; fi
    fi
    dep_ok
}

# put FILE LINE: writes LINE to FILE (in the deployment's directory) through a rename.
put() {
    dep_ensure || return 1
    printf '%s\n' "$2" >"$1.tmp" 2>/dev/null && mv -f "$1.tmp" "$1" 2>/dev/null
}

# read_status: sets st_state, st_gen and st_by from the status file (`STATE GENERATION|- [NONCE]`).
read_status() {
    st_state='' st_gen='' st_by=''
    dep_ok || return 0
    [ -f "$STATUS_FILE" ] || return 0
    read -r st_state st_gen st_by _ <"$STATUS_FILE" 2>/dev/null || true
    [ "$st_gen" != - ] || st_gen=
}

# write_status STATE [GENERATION [NONCE]]
write_status() {
    ws_gen=${2:-}
    [ -n "$ws_gen" ] || ws_gen=-
    put "$STATUS_FILE" "$1 $ws_gen ${3:-}" || {
        say "$(stamp) error: cannot record '$1' in $STATUS_FILE"
        return 1
    }
}

is_final() {
    case $1 in confirmed | rolled-back | rollback-failed | failed | set-failed | aborted) return 0 ;; esac
    return 1
}

# confirm_record: sets cr_by to the NONCE of RUN/ID/confirmed-NONCE (empty if there is none).
confirm_record() {
    cr_by=
    dep_ok || return 1
    for cr_file in "$DEP"/confirmed-*; do
        if [ ! -f "$cr_file" ] || [ -L "$cr_file" ]; then continue; fi
        cr_by=${cr_file##*/confirmed-}
        is_hex "$cr_by" && return 0
    done
    cr_by=
    return 1
}

# --- processes ------------------------------------------------------------------------------------

# proc_fields PID: sets pf_state, pf_pgrp, pf_sid, pf_start from /proc/PID/stat; 1 if missing.
proc_fields() {
    pf_stat=
    { IFS= read -r pf_stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    pf_stat=${pf_stat##*") "}
    # shellcheck disable=SC2086 # split into fields on purpose (numbers and a state letter)
    set -- $pf_stat
    pf_state=${1:-} pf_pgrp=${3:-} pf_sid=${4:-} pf_start=${20:-}
    return 0
}

# proc_start PID: the process's start time (ticks since boot), empty without /proc.
proc_start() {
    if proc_fields "$1"; then printf '%s' "$pf_start"; fi
}

# pid_alive PID [START]: the process exists (a zombie or a reused pid does not count).
pid_alive() {
    is_uint "$1" || return 1
    if [ ! -d /proc/self ]; then
        kill -0 "$1" 2>/dev/null
        return
    fi
    proc_fields "$1" || return 1
    case $pf_state in '' | Z* | X*) return 1 ;; esac
    [ -z "${2:-}" ] || [ "$pf_start" = "$2" ]
}

# nap N: sleeps a little, longer as N (polls so far) grows: prompt at first, cheap later.
nap() {
    if [ "$1" -lt 40 ]; then
        sleep 0.05
    elif [ "$1" -lt 100 ]; then
        sleep 0.2
    else
        sleep 0.5
    fi
}

# watch_alive: the watchdog of this deployment is still running.
watch_alive() {
    wa_pid='' wa_start=''
    dep_ok && [ -f "$WATCH_FILE" ] || return 1
    { IFS= read -r wa_pid && IFS= read -r wa_start; } <"$WATCH_FILE" || true
    pid_alive "$wa_pid" "$wa_start"
}

# group_ours PGID START: PGID is a process group this user started at START (its leader alive
# with that start time, or members of that session started since).
group_ours() {
    is_uint "$1" && [ "$1" -gt 1 ] && is_uint "$2" || return 1
    [ -d /proc/self ] || return 1
    if proc_fields "$1"; then
        [ "$pf_pgrp" = "$1" ] && [ "$pf_start" = "$2" ] &&
            [ "$(stat -c %u "/proc/$1" 2>/dev/null)" = "$MY_UID" ]
        return
    fi
    for go_proc in /proc/[0-9]*; do
        proc_fields "${go_proc#/proc/}" || continue
        [ "$pf_pgrp" = "$1" ] && [ "$pf_sid" = "$1" ] && is_uint "$pf_start" && [ "$pf_start" -ge "$2" ] &&
            [ "$(stat -c %u "$go_proc" 2>/dev/null)" = "$MY_UID" ] && return 0
    done
    return 1
}

# signal_group PGID: TERM, a bounded wait, then KILL to the whole process group.
signal_group() {
    # No `--`: dash's kill takes `-PGID` after the signal and rejects `--`.
    kill -TERM "-$1" 2>/dev/null || return 0
    sg_n=0
    while kill -0 "-$1" 2>/dev/null && [ "$sg_n" -lt 20 ]; do
        sg_n=$((sg_n + 1))
        sleep 0.1
    done
    kill -KILL "-$1" 2>/dev/null || true
}

# read_group: caches the activation's process group from the group file (`PGID START TICK`).
read_group() {
    dep_ok && [ -f "$GROUP_FILE" ] || return 1
    rg_pgid='' rg_start='' rg_tick=''
    read -r rg_pgid rg_start rg_tick _ <"$GROUP_FILE" 2>/dev/null || true
    is_uint "$rg_pgid" && is_uint "$rg_start" && is_uint "$rg_tick" || return 1
    [ "$rg_tick" = "${GROUP_TICK:-}" ] && return 0
    GROUP_PGID=$rg_pgid GROUP_START=$rg_start GROUP_TICK=$rg_tick
}

# kill_recorded_group: the watchdog ends the activation's group, once validated as ours.
kill_recorded_group() {
    read_group || true
    [ -n "${GROUP_PGID:-}" ] || return 0
    if group_ours "$GROUP_PGID" "$GROUP_START"; then
        say "$(stamp) killing the activation's process group $GROUP_PGID"
        signal_group "$GROUP_PGID"
    else
        say "$(stamp) note: process group $GROUP_PGID is gone or not ours: not signalled"
    fi
}

# --- the per-profile lock ---------------------------------------------------------------------

# The lock lives beside the canonical profile, whatever the temp path: one per profile and host.
set_lock_dir() {
    LOCK_DIR=$(parent_dir "$PROFILE")/.deploysh-lock-${PROFILE##*/}
}

# lock_trusted DIR: a real directory owned by us or root (so its holder file can be believed).
lock_trusted() {
    [ ! -L "$1" ] && [ -d "$1" ] || return 1
    lt_owner=$(stat -c %u -- "$1" 2>/dev/null) || return 1
    [ "$lt_owner" = "$MY_UID" ] || [ "$lt_owner" = 0 ]
}

write_holder() {
    {
        printf 'pid=%s\n' "$1"
        printf 'start=%s\n' "$(proc_start "$1")"
        printf 'host=%s\n' "$(uname -n)"
        printf 'user=%s\n' "$(id -un 2>/dev/null)"
        printf 'date=%s\n' "$(stamp)"
        printf 'id=%s\n' "$ID"
    } >"$LOCK_DIR/holder.$$" && chmod 644 "$LOCK_DIR/holder.$$" && mv -f "$LOCK_DIR/holder.$$" "$LOCK_DIR/holder"
}

read_holder() {
    h_pid='' h_start='' h_host='' h_user='' h_date='' h_id=''
    lock_trusted "$1" || return 1
    [ -f "$1/holder" ] && [ ! -L "$1/holder" ] || return 1
    while IFS= read -r rh_line; do
        case $rh_line in
        pid=*) h_pid=${rh_line#pid=} ;;
        start=*) h_start=${rh_line#start=} ;;
        host=*) h_host=${rh_line#host=} ;;
        user=*) h_user=${rh_line#user=} ;;
        date=*) h_date=${rh_line#date=} ;;
        id=*) h_id=${rh_line#id=} ;;
        esac
    done <"$1/holder"
    return 0
}

holder_text() {
    printf 'deployment %s (pid %s on %s, user %s, since %s)' "$h_id" "$h_pid" "$h_host" "$h_user" "$h_date"
}

# lock_take: 0 when taken, 75 when a live process holds it, 1 when it cannot be used (nothing
# changed either way; the caller reports result=lock-failed for 1).
lock_take() {
    set_lock_dir
    lt_try=0
    while [ "$lt_try" -lt 20 ]; do
        lt_try=$((lt_try + 1))
        if (umask 022 && mkdir -- "$LOCK_DIR") 2>/dev/null; then
            if ! write_holder "$$"; then
                rm -rf -- "$LOCK_DIR"
                say "error: nothing was changed: cannot write the lock's holder in $LOCK_DIR"
                return 1
            fi
            LOCK_OWNED=1
            return 0
        fi
        if [ ! -e "$LOCK_DIR" ] && [ ! -L "$LOCK_DIR" ]; then
            say "error: nothing was changed: cannot create the lock $LOCK_DIR (is $(parent_dir "$PROFILE") writable by $(id -un 2>/dev/null)?)"
            return 1
        fi
        if ! lock_trusted "$LOCK_DIR"; then
            say "error: nothing was changed: cannot use the lock $(describe "$LOCK_DIR"): not a directory of root or uid $MY_UID"
            return 1
        fi
        if ! read_holder "$LOCK_DIR"; then
            # Just created by someone else, or left without a holder file: give it a moment.
            if [ "$lt_try" -lt 10 ]; then
                sleep 0.1
                continue
            fi
        elif pid_alive "$h_pid" "$h_start"; then
            emit locked "$(holder_text)"
            say "error: profile $PROFILE is being deployed by $(holder_text)"
            say "hint: wait for it to finish, or look at it with: deploysh-activator status"
            return 75
        fi
        # Stale: move it aside, then make sure it was not a fresh lock taken meanwhile.
        lt_aside=$LOCK_DIR.stale.$$
        if mv -T -- "$LOCK_DIR" "$lt_aside" 2>/dev/null; then
            if read_holder "$lt_aside" && pid_alive "$h_pid" "$h_start"; then
                mv -T -- "$lt_aside" "$LOCK_DIR" 2>/dev/null || true
                continue
            fi
            say "note: taking over the stale lock of $(holder_text): its process is gone"
            emit stale-lock "$(holder_text)"
            rm -rf -- "$lt_aside"
        fi
    done
    say "error: could not take the lock $LOCK_DIR"
    return 75
}

lock_release() {
    [ "${LOCK_OWNED:-0}" = 1 ] || return 0
    if read_holder "$LOCK_DIR" && [ "$h_pid" = "$$" ]; then
        rm -rf -- "$LOCK_DIR"
    fi
    LOCK_OWNED=0
}

# --- profiles and generations -----------------------------------------------------------------

# generation_of PROFILE: the number of the generation PROFILE points to (empty if none).
generation_of() {
    go_target=$(readlink "$1" 2>/dev/null) || return 0
    go_target=${go_target##*/}
    go_base=${1##*/}
    case $go_target in "$go_base"-*-link) ;; *) return 0 ;; esac
    go_n=${go_target#"$go_base"-}
    go_n=${go_n%-link}
    if is_uint "$go_n"; then printf '%s' "$go_n"; fi
}

# resolve PATH: follows symlinks up to 8 levels (the store path of a profile).
resolve() {
    rv_path=$1
    rv_n=0
    while [ -L "$rv_path" ] && [ "$rv_n" -lt 8 ]; do
        rv_n=$((rv_n + 1))
        rv_link=$(readlink "$rv_path") || break
        case $rv_link in
        /*) rv_path=$rv_link ;;
        *) rv_path=$(parent_dir "$rv_path")/$rv_link ;;
        esac
    done
    if [ -e "$rv_path" ] || [ -L "$rv_path" ]; then printf '%s' "$rv_path"; fi
}

# generation_numbers PROFILE: every generation number, ascending.
generation_numbers() {
    gn_dir=$(parent_dir "$1")
    gn_base=${1##*/}
    for gn_link in "$gn_dir/$gn_base"-*-link; do
        [ -L "$gn_link" ] || continue
        gn_n=${gn_link#"$gn_dir/$gn_base"-}
        gn_n=${gn_n%-link}
        if is_uint "$gn_n"; then printf '%s\n' "$gn_n"; fi
    done | sort -n
}

last_generation() {
    generation_numbers "$1" | tail -n 1
}

# read_previous: what the profile is before this deployment, read from the profile itself:
# PREV_LINK (its raw link), PREV_GEN, LAST_GEN (the newest generation link) and EXISTED (0 only
# when there is neither a profile link nor any generation link).
read_previous() {
    PREV_LINK=$(readlink "$PROFILE" 2>/dev/null) || PREV_LINK=
    PREV_GEN=$(generation_of "$PROFILE")
    LAST_GEN=$(last_generation "$PROFILE")
    EXISTED=1
    if [ ! -e "$PROFILE" ] && [ ! -L "$PROFILE" ] && [ -z "$LAST_GEN" ]; then EXISTED=0; fi
}

link_date() {
    ld_secs=$(stat -c %Y "$1" 2>/dev/null) || ld_secs=$(stat -f %m "$1" 2>/dev/null) || ld_secs=
    [ -n "$ld_secs" ] || return 0
    date -u -d "@$ld_secs" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null ||
        date -u -r "$ld_secs" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || printf '%s' "$ld_secs"
}

nix_env() {
    (trap - PIPE && umask 022 && exec nix-env "$@") </dev/null 1>&2
}

# --- activation -------------------------------------------------------------------------------

# activation_kind PATH: sets ac_kind (deploy-rs, stc or none) for PATH.
activation_kind() {
    if [ -e "$1/deploy-rs-activate" ]; then
        ac_kind=deploy-rs
    elif [ -e "$1/bin/switch-to-configuration" ]; then
        ac_kind=stc
    else
        ac_kind=none
    fi
}

# stream_output FROM: copies OUTPUT_FILE from byte FROM to stderr; sets so_end to the new end.
stream_output() {
    so_end=$1
    [ -n "$ap_out" ] || return 0
    so_end=$(wc -c <"$ap_out" 2>/dev/null) || so_end=$1
    so_end=$((so_end + 0))
    if [ "$so_end" -gt "$1" ]; then
        tail -c +"$(($1 + 1))" "$ap_out" 2>/dev/null | head -c "$((so_end - $1))" >&2
    fi
}

# activate_path PATH MODE: runs the activation of PATH (switch, boot or dry-activate) in its own
# session and process group, output to a private file streamed to stderr (straight to stderr when
# the file cannot be made); waits for the PROCESS to exit (not for its output to close) and kills
# its group after ACT_TIMEOUT seconds (0: no limit). Sets ap_timed_out=1 when it was killed.
activate_path() {
    ap_path=$1
    ap_mode=$2
    ap_timed_out=0
    activation_kind "$ap_path"
    ap_dry=0
    ap_boot=0
    case $ap_mode in
    dry-activate) ap_dry=1 ;;
    boot) ap_boot=1 ;;
    esac
    case $ac_kind in
    deploy-rs) say "deploysh: running $ap_path/deploy-rs-activate (DRY_ACTIVATE=$ap_dry BOOT=$ap_boot)" ;;
    stc) say "deploysh: running $ap_path/bin/switch-to-configuration $ap_mode" ;;
    none)
        say "deploysh: $ap_path has no deploy-rs-activate or bin/switch-to-configuration: nothing to activate"
        return 0
        ;;
    esac
    ap_out=
    if [ -n "${OUTPUT_FILE:-}" ] && dep_ensure && rm -f -- "$OUTPUT_FILE" && : >"$OUTPUT_FILE"; then
        ap_out=$OUTPUT_FILE
    else
        say "deploysh: note: the activation's output goes straight to stderr (no private output file)"
    fi
    ap_setsid=
    if command -v setsid >/dev/null 2>&1; then ap_setsid=setsid; fi
    # shellcheck disable=SC2016 # expanded by the activation's own shell
    # The activation starts only once its group is recorded (bounded wait): an activation that
    # stops the activator at once (`kill -STOP $PPID`) must still be found and ended by the watchdog.
    set -- sh -c '
        trap - PIPE HUP INT TERM
        umask 022
        gw=0
        while [ -n "$6" ] && [ ! -f "$6" ] && [ "$gw" -lt 200 ]; do
            gw=$((gw + 1))
            sleep 0.01
        done
        if [ "$1" = deploy-rs ]; then
            cd "$2" || exit 1
            PROFILE=$2 DRY_ACTIVATE=$4 BOOT=$5
            export PROFILE DRY_ACTIVATE BOOT
            exec "$2/deploy-rs-activate"
        fi
        cd / || exit 1
        exec "$2/bin/switch-to-configuration" "$3"' deploysh-activation \
        "$ac_kind" "$ap_path" "$ap_mode" "$ap_dry" "$ap_boot" "${ap_setsid:+${GROUP_FILE:-}}"
    if [ -n "$ap_out" ]; then
        $ap_setsid "$@" </dev/null >>"$ap_out" 2>&1 &
    else
        $ap_setsid "$@" </dev/null 1>&2 &
    fi
    ap_pid=$!
    if [ -n "$ap_setsid" ] && [ -n "${GROUP_FILE:-}" ]; then
        put "$GROUP_FILE" "$ap_pid $(proc_start "$ap_pid") $(ticks)" || true
    fi
    ap_limit=0
    if [ "${ACT_TIMEOUT:-0}" -gt 0 ]; then ap_limit=$(($(ticks) + ACT_TIMEOUT * 100)); fi
    ap_at=0
    ap_n=0
    while pid_alive "$ap_pid"; do
        stream_output "$ap_at"
        ap_at=$so_end
        if [ "$ap_limit" -gt 0 ] && [ "$(ticks)" -ge "$ap_limit" ]; then
            say "error: the activation ran longer than activationTimeout (${ACT_TIMEOUT} s): killing it"
            ap_timed_out=1
            # Not waited for yet, so its pid (and group id) cannot have been reused.
            if [ -n "$ap_setsid" ]; then signal_group "$ap_pid"; else kill -KILL "$ap_pid" 2>/dev/null; fi
            break
        fi
        ap_n=$((ap_n + 1))
        nap "$ap_n"
    done
    ap_status=0
    wait "$ap_pid" || ap_status=$?
    stream_output "$ap_at"
    if [ -n "$ap_out" ]; then rm -f -- "$ap_out"; fi
    if [ "$ap_timed_out" = 1 ] && [ "$ap_status" = 0 ]; then ap_status=124; fi
    return "$ap_status"
}

# restored: the profile is what it was before this deployment (PREV_* from read_previous).
restored() {
    if [ -n "$PREV_GEN" ]; then
        [ "$(generation_of "$PROFILE")" = "$PREV_GEN" ]
    elif [ -n "$PREV_LINK" ]; then
        [ "$(readlink "$PROFILE" 2>/dev/null)" = "$PREV_LINK" ]
    elif [ "$EXISTED" = 0 ]; then
        [ ! -e "$PROFILE" ] && [ ! -L "$PROFILE" ]
    else
        return 1
    fi
}

# roll_back: undoes this deployment of PROFILE with PREV_LINK, PREV_GEN, LAST_GEN and EXISTED
# (never with anything read from a temp file). Returns 0 when the previous state is back (and its
# activation ran fine).
roll_back() {
    rb_mode=switch
    [ "$MODE" = boot ] && rb_mode=boot
    rb_new_gen=$(generation_of "$PROFILE")
    rb_created=0
    if is_uint "$rb_new_gen" && { [ -z "$LAST_GEN" ] || [ "$rb_new_gen" -gt "$LAST_GEN" ]; }; then
        rb_created=1
    fi
    rb_status=0
    if [ -n "$PREV_GEN" ]; then
        if [ "$rb_new_gen" != "$PREV_GEN" ]; then
            say "deploysh: switching $PROFILE back to generation $PREV_GEN"
            nix_env -p "$PROFILE" --switch-generation "$PREV_GEN" || rb_status=$?
        fi
    elif [ -n "$PREV_LINK" ]; then
        say "deploysh: pointing $PROFILE back to $PREV_LINK"
        ln -sfn -- "$PREV_LINK" "$PROFILE" || rb_status=$?
    elif [ "$EXISTED" = 0 ]; then
        say "deploysh: $PROFILE did not exist before this deployment (no link, no generations): removing it"
        rm -f -- "$PROFILE" || rb_status=$?
        if [ "$rb_created" = 1 ]; then rm -f -- "$PROFILE-$rb_new_gen-link" || rb_status=$?; fi
    else
        say "error: $PROFILE had generations but no profile link before this deployment: left as it is"
        return 1
    fi
    if [ "$rb_status" != 0 ] || ! restored; then
        say "error: could not restore $PROFILE (status $rb_status)"
        [ "$rb_status" != 0 ] || rb_status=1
        return "$rb_status"
    fi
    if [ "$rb_created" = 1 ] && [ "$rb_new_gen" != "$PREV_GEN" ] && [ -n "$PREV_GEN$PREV_LINK" ]; then
        say "deploysh: deleting the failed generation $rb_new_gen"
        nix_env -p "$PROFILE" --delete-generations "$rb_new_gen" ||
            say "warning: could not delete generation $rb_new_gen of $PROFILE"
    fi
    if [ -e "$PROFILE" ]; then
        activate_path "$PROFILE" "$rb_mode" || rb_status=$?
        if [ "$rb_status" != 0 ]; then
            say "error: the activation of the previous generation failed (status $rb_status)"
        fi
    fi
    return "$rb_status"
}

# roll_back_now REASON: rolls back and records the verdict (with what the profile really is).
roll_back_now() {
    say "$(stamp) $1: rolling back"
    write_status rolling-back "$(generation_of "$PROFILE")" || true
    if roll_back; then
        VERDICT=rolled-back
    else
        VERDICT=rollback-failed
    fi
    write_status "$VERDICT" "$(generation_of "$PROFILE")" || true
    say "$(stamp) $VERDICT: $PROFILE is on generation $(generation_of "$PROFILE") ($(resolve "$PROFILE"))"
}

# prune: keeps the last 5 deployments' directories (status and logs) in RUN, nothing else; the
# working files of a deployment whose watchdog is gone go too. Only inside RUN.
prune() {
    private_ok "$RUN" || return 0
    (
        cd -P -- "$RUN" 2>/dev/null || exit 0
        [ "$(pwd -P)" = "$RUN" ] || exit 0
        for pr_dir in *; do
            if ! is_hex "$pr_dir" || [ ! -d "$pr_dir" ] || [ -L "$pr_dir" ]; then continue; fi
            pr_pid='' pr_start=''
            if [ -f "$pr_dir/watch" ]; then
                { IFS= read -r pr_pid && IFS= read -r pr_start; } <"$pr_dir/watch" || true
                pid_alive "$pr_pid" "$pr_start" && continue
            fi
            rm -f -- "$pr_dir/canary" "$pr_dir/canary.expired" "$pr_dir/deadline" "$pr_dir/state" \
                "$pr_dir/group" "$pr_dir/output.log" "$pr_dir/request" "$pr_dir/watch" "$pr_dir"/*.tmp
        done
        # shellcheck disable=SC2012 # names are hex ids (no blanks or newlines)
        ls -1t | while IFS= read -r pr_dir; do
            is_hex "$pr_dir" && [ -d "$pr_dir" ] && [ ! -L "$pr_dir" ] && printf '%s\n' "$pr_dir"
        done | tail -n +6 | while IFS= read -r pr_dir; do
            [ -e "$pr_dir/watch" ] || rm -rf -- "$pr_dir"
        done
    )
}

# --- subcommands ------------------------------------------------------------------------------

cmd_activate() {
    [ $# -eq 8 ] || [ $# -eq 9 ] || usage "activate takes 8 or 9 arguments, got $#"
    PROFILE=$1 CLOSURE=$2 MODE=$3 TEMPPATH=$4 MAGIC=$5 AUTO=$6 TIMEOUT=$7 ID=$8 ACT_TIMEOUT=${9:-0}
    need_absolute profile "$PROFILE"
    need_absolute closure "$CLOSURE"
    case $MODE in switch | boot | dry-activate) ;; *) usage "unknown mode '$MODE'" ;; esac
    case $MAGIC$AUTO in [01][01]) ;; *) usage "MAGIC and AUTO must be 0 or 1" ;; esac
    need_uint "confirm timeout" "$TIMEOUT"
    need_uint "activation timeout" "$ACT_TIMEOUT"
    need_id "$ID"
    [ "$MODE" = switch ] || MAGIC=0
    trap 'lock_release' EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    trap '' PIPE HUP
    # The private directory and a first state file, before the lock and before anything changes.
    temp_require 1
    canonical_profile "$PROFILE" create
    emit profile "$PROFILE"
    set_paths
    if ! mkdir -- "$DEP" 2>/dev/null; then
        if [ -e "$DEP" ] || [ -L "$DEP" ]; then
            emit result id-in-use
            say "error: nothing was changed: $DEP exists already (deployment id $ID was used before)"
            exit 1
        fi
        emit result temp-path-unwritable
        say "error: nothing was changed: cannot create $DEP (is $TEMPPATH full?)"
        exit 1
    fi
    read_previous
    if ! write_state || ! dep_ok; then
        rm -rf -- "$DEP"
        emit result temp-path-unwritable
        say "error: nothing was changed: cannot write the deployment's state in $DEP (is $TEMPPATH full?)"
        say "hint: free space in $TEMPPATH or set tempPath to a directory the profile user can write"
        exit 1
    fi
    lt_rc=0
    lock_take || lt_rc=$?
    if [ "$lt_rc" != 0 ]; then
        rm -rf -- "$DEP"
        [ "$lt_rc" = 75 ] && exit 75
        emit result lock-failed
        exit 1
    fi

    if [ "$MODE" = dry-activate ]; then
        if [ ! -e "$CLOSURE" ]; then
            rm -rf -- "$DEP"
            say "error: $CLOSURE does not exist on this host (copy it first)"
            emit result dry-activation-failed
            emit status 1
            exit 1
        fi
        ca_status=0
        activate_path "$CLOSURE" dry-activate || ca_status=$?
        rm -rf -- "$DEP"
        if [ "$ca_status" = 0 ]; then
            emit result dry-activated
            exit 0
        fi
        [ "$ap_timed_out" = 0 ] || emit timeout "$ACT_TIMEOUT"
        emit result dry-activation-failed
        emit status "$ca_status"
        exit 1
    fi

    # The previous generation again, now that nobody else can change the profile.
    read_previous
    if ! write_state; then
        rm -rf -- "$DEP"
        emit result temp-path-unwritable
        say "error: nothing was changed: cannot write the deployment's state in $DEP"
        exit 1
    fi
    emit previous "$(resolve "$PROFILE")"
    emit previous-generation "$PREV_GEN"
    start_watchdog || exit 1

    if ! nix_env -p "$PROFILE" --set "$CLOSURE"; then
        say "error: nix-env -p $PROFILE --set $CLOSURE failed"
        write_status set-failed "$(generation_of "$PROFILE")" || true
        emit result set-failed
        exit 70
    fi
    ca_new_gen=$(generation_of "$PROFILE")
    emit generation "$ca_new_gen"
    write_status running "$ca_new_gen" || true

    ca_status=0
    activate_path "$PROFILE" "$MODE" || ca_status=$?
    if [ "$ca_status" != 0 ]; then
        if [ "$ap_timed_out" = 1 ]; then
            emit timeout "$ACT_TIMEOUT"
            say "error: activation of $CLOSURE timed out after $ACT_TIMEOUT s"
        else
            say "error: activation of $CLOSURE failed (status $ca_status)"
        fi
        if [ "$AUTO" = 1 ]; then
            roll_back_now "the activation failed"
        else
            VERDICT=failed
            write_status failed "$ca_new_gen" || true
        fi
        wait_watchdog
        emit generation "$(generation_of "$PROFILE")"
        emit result "$VERDICT"
        emit status "$ca_status"
        exit 1
    fi
    if ! write_status activated "$ca_new_gen"; then
        say "error: $(describe "$DEP") cannot be used any more: the watchdog decides once this activator exits"
        emit result temp-path-unsafe
        exit 1
    fi
    if [ "$MODE" = switch ] && [ "$MAGIC" = 1 ]; then
        # The watchdog creates the canary and starts the deadline now.
        sw_n=0
        while ! { dep_ok && [ -e "$CANARY" ]; } && [ "$sw_n" -lt 400 ]; do
            read_status
            is_final "$st_state" && break
            watch_alive || break
            sw_n=$((sw_n + 1))
            sleep 0.02
        done
        if dep_ok && [ -e "$CANARY" ]; then
            emit canary "$CANARY"
            emit watchdog-log "$WATCHDOG_LOG"
            emit result pending
            exit 0
        fi
        read_status
        say "error: the magic-rollback watchdog did not arm (see $WATCHDOG_LOG)"
        if is_final "$st_state"; then VERDICT=$st_state; else roll_back_now "the watchdog did not arm"; fi
        emit generation "$(generation_of "$PROFILE")"
        emit result "$VERDICT"
        exit 1
    fi
    wait_watchdog
    emit result activated
    exit 0
}

# write_state: a copy of what the profile was before this deployment (for people; never read
# back to decide anything). Verified by reading it back: a full temp path fails here.
write_state() {
    put "$STATE_FILE" "$(printf 'profile=%s\nprevious-link=%s\nprevious-generation=%s\nlast-generation=%s\nexisted=%s\nmode=%s' \
        "$PROFILE" "$PREV_LINK" "$PREV_GEN" "$LAST_GEN" "$EXISTED" "$MODE")" || return 1
    ws_check=
    IFS= read -r ws_check <"$STATE_FILE" 2>/dev/null || true
    [ "$ws_check" = "profile=$PROFILE" ]
}

# wait_watchdog: waits (bounded) until the watchdog has released the lock and exited.
wait_watchdog() {
    ww_n=0
    while watch_alive && [ "$ww_n" -lt 200 ]; do
        ww_n=$((ww_n + 1))
        sleep 0.02
    done
}

# start_watchdog: starts the detached watchdog and waits until it holds the lock. The previous
# generation goes on its argv, so that a lost temp path cannot lose it.
start_watchdog() {
    sw_setsid=
    if command -v setsid >/dev/null 2>&1; then sw_setsid=setsid; fi
    sw_source=${DEPLOYSH_SOURCE:-}
    if [ -z "$sw_source" ] && [ -r "$0" ]; then sw_source=$(cat "$0"); fi
    # A new session, SIGHUP ignored, stdio on a private log file: neither the ssh session ending,
    # the deployer dying nor the activation killing its parent can take it down.
    DEPLOYSH_SOURCE=$sw_source $sw_setsid nohup sh -c "$sw_source" deploysh-activator watchdog \
        "$PROFILE" "$TEMPPATH" "$ID" "$TIMEOUT" "$MAGIC" "$AUTO" "$$" "$(proc_start "$$")" "$ACT_TIMEOUT" \
        "$PREV_LINK" "$PREV_GEN" "$LAST_GEN" "$EXISTED" "$MODE" \
        </dev/null >>"$WATCHDOG_LOG" 2>&1 &
    sw_pid=$!
    sw_n=0
    while [ "$sw_n" -lt 500 ]; do
        if read_holder "$LOCK_DIR" && [ "$h_pid" != "$$" ] && [ "$h_id" = "$ID" ]; then
            LOCK_OWNED=0
            return 0
        fi
        pid_alive "$sw_pid" || [ -n "$sw_setsid" ] || break
        sw_n=$((sw_n + 1))
        sleep 0.02
    done
    kill "$sw_pid" 2>/dev/null || true
    say "error: the watchdog did not start (see $WATCHDOG_LOG); nothing was changed"
    emit result watchdog-failed
    return 1
}

# settle REASON: the activator is gone (or was ended) without recording the outcome.
settle() {
    say "$(stamp) $1"
    kill_recorded_group
    read_status
    case $st_state in set-failed | failed | rolled-back | rollback-failed | confirmed | aborted) finish ;; esac
    if [ -z "$st_state" ] && [ -z "${GROUP_PGID:-}" ] && [ "$(readlink "$PROFILE" 2>/dev/null)" = "$PREV_LINK" ]; then
        # The profile was never changed (the activator ended before `nix-env --set`).
        write_status aborted "$PREV_GEN" || true
    elif [ "$AUTO" = 1 ] || [ "$MAGIC" = 1 ]; then
        roll_back_now "outcome never reported"
    else
        write_status failed "$(generation_of "$PROFILE")" || true
    fi
    finish
}

cmd_watchdog() {
    [ $# -eq 14 ] || usage "watchdog takes 14 arguments"
    PROFILE=$1 TEMPPATH=$2 ID=$3 TIMEOUT=$4 MAGIC=$5 AUTO=$6 wd_parent=$7 wd_parent_start=$8 ACT_TIMEOUT=$9
    shift 9
    PREV_LINK=$1 PREV_GEN=$2 LAST_GEN=$3 EXISTED=$4 MODE=$5
    RUN=${TEMPPATH%/}/deploysh-$MY_UID
    set_paths
    trap '' HUP PIPE INT
    set_lock_dir
    IS_WATCHDOG=1
    put "$WATCH_FILE" "$$
$(proc_start "$$")" || exit 1
    write_holder "$$" || exit 1
    LOCK_OWNED=1
    trap 'lock_release; dep_ok && rm -f "$WATCH_FILE"' EXIT
    trap 'exit 143' TERM
    say "$(stamp) watchdog $$ for $PROFILE (deployment $ID), previous generation ${PREV_GEN:-none}"
    wd_running_since=
    wd_n=0
    # 1. Until the activator records an outcome; if it dies first, the outcome never comes.
    while :; do
        read_status
        case $st_state in
        activated) break ;;
        set-failed | failed | rolled-back | rollback-failed | confirmed | aborted)
            say "$(stamp) the activator reported $st_state"
            finish
            ;;
        esac
        read_group || true
        if dep_ok && [ ! -f "$WATCH_FILE" ]; then put "$WATCH_FILE" "$$
$(proc_start "$$")" || true; fi
        case $st_state in running | rolling-back) [ -n "$wd_running_since" ] || wd_running_since=$(ticks) ;; esac
        if ! pid_alive "$wd_parent" "$wd_parent_start"; then
            read_status
            [ "$st_state" = activated ] && break
            settle "the activator (pid $wd_parent) ended before reporting the activation's outcome"
        fi
        # activationTimeout, even when the activation stopped the activator (kill -STOP $PPID).
        wd_base=${GROUP_TICK:-$wd_running_since}
        if [ "$ACT_TIMEOUT" -gt 0 ] && [ -n "$wd_base" ]; then
            if [ "$(ticks)" -ge $((wd_base + ACT_TIMEOUT * 100 + STOP_MARGIN)) ]; then
                say "$(stamp) the activator did not end the activation within activationTimeout (${ACT_TIMEOUT} s) + $((STOP_MARGIN / 100)) s: killing it"
                kill_recorded_group
                if pid_alive "$wd_parent" "$wd_parent_start"; then
                    kill -KILL "$wd_parent" 2>/dev/null || true
                fi
                wd_k=0
                while pid_alive "$wd_parent" "$wd_parent_start" && [ "$wd_k" -lt 50 ]; do
                    wd_k=$((wd_k + 1))
                    sleep 0.1
                done
                settle "activationTimeout exceeded"
            fi
        fi
        wd_n=$((wd_n + 1))
        nap "$wd_n"
    done
    [ "$MAGIC" = 1 ] || finish
    # 2. Magic rollback: a confirm record must appear within TIMEOUT seconds (monotonic clock).
    wd_gen=$st_gen
    write_status pending "$wd_gen" || true
    if ! put "$CANARY" "$ID"; then
        roll_back_now "cannot create the canary"
        finish
    fi
    # The window opens when the deployer is told (the activator exits right after saying `pending`),
    # plus HANDSHAKE_GRACE for the deployer's NEW ssh connection: on a loaded host a handshake
    # alone can take most of a second, and confirmTimeout must be at least what was asked.
    wd_n=0
    while pid_alive "$wd_parent" "$wd_parent_start" && [ "$wd_n" -lt 100 ]; do
        wd_n=$((wd_n + 1))
        sleep 0.02
    done
    wd_deadline=$(($(ticks) + TIMEOUT * 100 + HANDSHAKE_GRACE))
    put "$DEADLINE_FILE" "$wd_deadline
$PROFILE" || true
    say "$(stamp) $PROFILE generation $wd_gen: confirm within ${TIMEOUT}s"
    wd_outcome=
    while [ -z "$wd_outcome" ]; do
        if ! dep_ok; then
            wd_outcome=vanished
        elif [ -e "$REQUEST_FILE" ]; then
            wd_outcome=requested
        elif [ ! -e "$CANARY" ]; then
            if confirm_record; then wd_outcome=confirmed; else wd_outcome=vanished; fi
        elif [ "$(ticks)" -ge "$wd_deadline" ]; then
            wd_outcome=timeout
        else
            # `extend` may have pushed the deadline.
            wd_ext=
            read -r wd_ext <"$DEADLINE_FILE" 2>/dev/null || wd_ext=
            if is_uint "$wd_ext" && [ "$wd_ext" -gt "$wd_deadline" ]; then
                say "$(stamp) deadline extended by $(((wd_ext - wd_deadline) / 100)) s"
                wd_deadline=$wd_ext
            fi
            sleep 0.05
        fi
    done
    # Renaming the canary decides atomically against a concurrent `confirm` (its own rename).
    if [ "$wd_outcome" != confirmed ] && ! { dep_ok && mv -T -- "$CANARY" "$CANARY.expired" 2>/dev/null; }; then
        if confirm_record; then wd_outcome=confirmed; fi
    fi
    if [ "$wd_outcome" = confirmed ]; then
        say "$(stamp) confirmed by $cr_by"
        write_status confirmed "$(generation_of "$PROFILE")" "$cr_by" || true
        dep_ok && rm -f -- "$WATCHDOG_LOG"
    else
        [ "$wd_outcome" != vanished ] || say "$(stamp) the canary or $DEP disappeared without a confirm record"
        roll_back_now "not confirmed ($wd_outcome)"
    fi
    finish
}

# finish: removes this deployment's working files (status, logs and the confirm record stay),
# then exits.
finish() {
    if dep_ok; then
        rm -f -- "$CANARY" "$CANARY.expired" "$REQUEST_FILE" "$DEADLINE_FILE" "$STATE_FILE" "$GROUP_FILE" "$OUTPUT_FILE"
    fi
    prune
    exit 0
}

# wait_final SECONDS: waits until the watchdog is done (bounded); sets wf_status, wf_gen, wf_by.
# A final status whose watchdog is still finishing counts once SECONDS are over; no final
# status by then leaves wf_status empty.
wait_final() {
    wf_end=$(($(ticks) + $1 * 100))
    wf_gone=0
    while :; do
        if ! watch_alive; then
            # A watchdog whose directory was just cleaned away marks itself again at once.
            read_status
            if ! is_final "$st_state" && [ "$wf_gone" -lt 20 ]; then
                wf_gone=$((wf_gone + 1))
                sleep 0.05
                continue
            fi
            # The watchdog is gone: what it left is all there is.
            read_status
            wf_status=$st_state wf_gen=$st_gen wf_by=$st_by
            case $wf_status in
            '') wf_status=missing ;;
            activated | confirmed | rolled-back | rollback-failed | failed | set-failed | aborted) ;;
            *) wf_status=lost ;;
            esac
            return 0
        fi
        if [ "$(ticks)" -ge "$wf_end" ]; then
            read_status
            wf_status=$st_state wf_gen=$st_gen wf_by=$st_by
            is_final "$wf_status" || wf_status=
            return 0
        fi
        sleep 0.05
    done
}

# open_deployment TEMPPATH ID: for the commands that look at a deployment (no creation).
open_deployment() {
    TEMPPATH=$1 ID=$2
    need_id "$ID"
    temp_require 0
    set_paths
}

cmd_wait() {
    [ $# -eq 3 ] || usage "wait takes TEMPPATH ID TIMEOUT"
    need_uint timeout "$3"
    open_deployment "$1" "$2"
    cw_end=$(($(ticks) + $3 * 100))
    while :; do
        if dep_ok && [ -e "$CANARY" ]; then
            emit canary present
            exit 0
        fi
        read_status
        case $st_state in
        confirmed)
            emit confirmed-by "$st_by"
            emit result confirmed
            exit 0
            ;;
        rolled-back | rollback-failed | failed | set-failed)
            emit generation "$st_gen"
            emit result "$st_state"
            exit 1
            ;;
        esac
        if [ "$(ticks)" -ge "$cw_end" ]; then
            emit result timeout
            say "error: no canary $CANARY after $3 seconds"
            exit 2
        fi
        sleep 0.1
    done
}

cmd_confirm() {
    [ $# -eq 4 ] || usage "confirm takes TEMPPATH ID WAIT NONCE"
    need_uint wait "$3"
    is_hex "$4" || usage "nonce '$4' is not a hex token"
    cc_nonce=$4
    open_deployment "$1" "$2"
    # Never confirm for a deployer that is gone: when its ssh session has closed, this write
    # fails (SIGPIPE or EPIPE) and the canary stays for the watchdog.
    emit confirming "$ID" || exit 1
    # The confirm record: the canary renamed to confirmed-NONCE (atomic against the watchdog's
    # own rename at the deadline). Only a record confirms.
    # Only while the watchdog lives: it writes the verdict (a dead one decides nothing: `lost`).
    if dep_ok && [ -f "$CANARY" ] && watch_alive && mv -T -- "$CANARY" "$DEP/confirmed-$cc_nonce" 2>/dev/null; then
        # With WAIT, also wait for the watchdog to finish, so the lock is free on return.
        wait_final "$3"
        emit generation "$wf_gen"
        emit confirmed-by "$cc_nonce"
        emit result confirmed
        exit 0
    fi
    wait_final 0
    [ -n "$wf_status" ] || wf_status=$st_state
    [ -n "$wf_status" ] || wf_status=missing
    if [ "$wf_status" != confirmed ] && confirm_record; then
        wf_status=confirmed wf_by=$cr_by
    fi
    emit generation "$wf_gen"
    if [ "$wf_status" = confirmed ]; then
        emit confirmed-by "$wf_by"
        if [ "$wf_by" = "$cc_nonce" ]; then
            emit result confirmed
            exit 0
        fi
        emit result confirmed-other
        say "error: deployment $ID was confirmed by another confirm ($wf_by), not by this one ($cc_nonce)"
        exit 1
    fi
    emit result "$wf_status"
    say "error: deployment $ID cannot be confirmed: $wf_status"
    exit 1
}

cmd_extend() {
    [ $# -eq 3 ] || usage "extend takes TEMPPATH ID SECONDS"
    need_uint seconds "$3"
    open_deployment "$1" "$2"
    ce_n=0
    while :; do
        read_status
        if is_final "$st_state"; then
            emit generation "$st_gen"
            [ "$st_state" != confirmed ] || emit confirmed-by "$st_by"
            emit result "$st_state"
            exit 1
        fi
        if [ -z "$st_state" ]; then
            emit result missing
            exit 1
        fi
        if ! watch_alive; then
            # No watchdog: nothing to extend. `activated` is a finished deployment without magic rollback.
            emit generation "$st_gen"
            if [ "$st_state" = activated ]; then emit result activated; else emit result lost; fi
            exit 1
        fi
        [ "$st_state" = pending ] && dep_ok && [ -f "$DEADLINE_FILE" ] && break
        if [ "$ce_n" -ge 40 ]; then
            emit state "$st_state"
            emit result not-pending
            exit 1
        fi
        ce_n=$((ce_n + 1))
        sleep 0.05
    done
    ce_now=$(ticks)
    ce_cur='' ce_profile=''
    { IFS= read -r ce_cur && IFS= read -r ce_profile; } <"$DEADLINE_FILE" 2>/dev/null || true
    is_uint "$ce_cur" || ce_cur=0
    ce_new=$((ce_now + $3 * 100))
    if [ "$ce_new" -gt "$ce_cur" ]; then
        put "$DEADLINE_FILE" "$ce_new
$ce_profile" || {
            emit result temp-path-unwritable
            exit 1
        }
        ce_cur=$ce_new
    fi
    read_status
    if is_final "$st_state"; then
        emit generation "$st_gen"
        [ "$st_state" != confirmed ] || emit confirmed-by "$st_by"
        emit result "$st_state"
        exit 1
    fi
    ce_left=$(((ce_cur - ce_now) / 100))
    [ "$ce_left" -ge 0 ] || ce_left=0
    emit deadline-left "$ce_left"
    exit 0
}

cmd_result() {
    [ $# -eq 3 ] || usage "result takes TEMPPATH ID TIMEOUT"
    need_uint timeout "$3"
    open_deployment "$1" "$2"
    wait_final "$3"
    emit generation "$wf_gen"
    case $wf_status in
    confirmed | activated)
        [ "$wf_status" != confirmed ] || emit confirmed-by "$wf_by"
        emit result "$wf_status"
        exit 0
        ;;
    '')
        read_status
        emit last "$st_state"
        emit result timeout
        exit 2
        ;;
    esac
    emit result "$wf_status"
    exit 1
}

cmd_rollback() {
    [ $# -eq 3 ] || [ $# -eq 4 ] || usage "rollback takes PROFILE TEMPPATH ID|- [GENERATION]"
    PROFILE=$1 TEMPPATH=$2 ID=$3
    need_absolute profile "$PROFILE"
    canonical_profile "$PROFILE"
    if [ "$ID" != - ]; then
        [ $# -eq 3 ] || usage "rollback of a pending deployment takes no generation"
        open_deployment "$TEMPPATH" "$ID"
        if watch_alive; then put "$REQUEST_FILE" "$(stamp)" || true; fi
        wait_final 60
        case $wf_status in
        rolled-back)
            emit generation "$(generation_of "$PROFILE")"
            emit result rolled-back
            exit 0
            ;;
        confirmed)
            say "error: deployment $ID was confirmed already; roll back a generation with ID '-'"
            ;;
        '')
            emit result timeout
            exit 2
            ;;
        esac
        emit generation "$wf_gen"
        emit result "$wf_status"
        exit 1
    fi
    ID=-
    cr_gen=${4:-}
    trap 'lock_release; [ -z "${DEP:-}" ] || rm -rf -- "$DEP"' EXIT
    trap 'exit 143' TERM
    trap '' PIPE HUP
    # The activation's output goes to a private file when the temp path allows; else to stderr.
    OUTPUT_FILE='' GROUP_FILE='' DEP=''
    if temp_prepare 1 && mkdir -- "$RUN/rollback-$$" 2>/dev/null; then
        DEP=$RUN/rollback-$$
        OUTPUT_FILE=$DEP/output.log GROUP_FILE=$DEP/group
    fi
    lt_rc=0
    lock_take || lt_rc=$?
    if [ "$lt_rc" != 0 ]; then
        [ "$lt_rc" = 75 ] && exit 75
        emit result lock-failed
        exit 1
    fi
    cr_current=$(generation_of "$PROFILE")
    if [ -z "$cr_gen" ]; then
        for cr_n in $(generation_numbers "$PROFILE"); do
            if [ -n "$cr_current" ] && [ "$cr_n" -lt "$cr_current" ]; then cr_gen=$cr_n; fi
        done
        if [ -z "$cr_gen" ]; then
            emit result no-previous-generation
            say "error: $PROFILE has no generation before ${cr_current:-the current one}"
            exit 1
        fi
    fi
    is_uint "$cr_gen" || usage "generation '$cr_gen' is not a number"
    if [ ! -L "$PROFILE-$cr_gen-link" ]; then
        emit result no-such-generation
        say "error: $PROFILE has no generation $cr_gen"
        exit 1
    fi
    if ! nix_env -p "$PROFILE" --switch-generation "$cr_gen"; then
        emit result set-failed
        exit 70
    fi
    emit generation "$cr_gen"
    cr_status=0
    activate_path "$PROFILE" switch || cr_status=$?
    if [ "$cr_status" != 0 ]; then
        emit result failed
        emit status "$cr_status"
        exit 1
    fi
    emit result rolled-back
    exit 0
}

cmd_generations() {
    [ $# -eq 1 ] || usage "generations takes PROFILE"
    need_absolute profile "$1"
    cg_current=$(generation_of "$1")
    for cg_n in $(generation_numbers "$1"); do
        cg_link=$1-$cg_n-link
        cg_is=0
        [ "$cg_n" = "$cg_current" ] && cg_is=1
        emit generation "$cg_n $(readlink "$cg_link") $cg_is $(link_date "$cg_link")"
    done
    exit 0
}

cmd_status() {
    [ $# -eq 2 ] || usage "status takes PROFILE TEMPPATH"
    PROFILE=$1 TEMPPATH=$2 ID=-
    need_absolute profile "$PROFILE"
    canonical_profile "$PROFILE"
    emit current "$(resolve "$PROFILE")"
    emit generation "$(generation_of "$PROFILE")"
    set_lock_dir
    if read_holder "$LOCK_DIR" && pid_alive "$h_pid" "$h_start"; then
        emit lock "$(holder_text)"
    else
        emit lock none
    fi
    cs_rc=0
    temp_prepare 0 || cs_rc=$?
    case $cs_rc in
    0) ;;
    4) exit 0 ;;
    *)
        say "warning: no pending deployments listed: $tp_msg"
        exit 0
        ;;
    esac
    cs_now=$(ticks)
    for cs_dir in "$RUN"/*/; do
        cs_id=${cs_dir%/}
        cs_id=${cs_id##*/}
        is_hex "$cs_id" || continue
        ID=$cs_id
        set_paths
        if ! dep_ok || [ ! -e "$CANARY" ] || [ ! -f "$DEADLINE_FILE" ]; then continue; fi
        cs_deadline='' cs_profile=''
        { IFS= read -r cs_deadline && IFS= read -r cs_profile; } <"$DEADLINE_FILE" || true
        [ "$cs_profile" = "$PROFILE" ] || continue
        is_uint "$cs_deadline" || continue
        cs_left=$(((cs_deadline - cs_now) / 100))
        [ "$cs_left" -ge 0 ] || cs_left=0
        emit pending "$cs_id $cs_left"
    done
    exit 0
}

cmd_profile_path() {
    [ $# -eq 2 ] || usage "profile-path takes USER NAME"
    pp_user=$1 pp_name=$2
    if [ -d "/nix/var/nix/profiles/per-user/$pp_user" ]; then
        emit profile-path "/nix/var/nix/profiles/per-user/$pp_user/$pp_name"
        exit 0
    fi
    pp_home=${HOME:-}
    pp_state=${XDG_STATE_HOME:-}
    if [ "$(id -un 2>/dev/null)" != "$pp_user" ]; then
        pp_state=
        pp_home=$(getent passwd "$pp_user" 2>/dev/null | cut -d: -f6)
        [ -n "$pp_home" ] || pp_home=${HOME:-}
    fi
    [ -n "$pp_state" ] || pp_state=$pp_home/.local/state
    emit profile-path "$pp_state/nix/profiles/$pp_name"
    exit 0
}

# install_self TEMPPATH SHA256: saves this program's text (DEPLOYSH_SOURCE, byte for byte) as
# RUN/activator-SHA256.sh for activator-boot.sh, when its sha256 is SHA256. Never fatal.
install_self() {
    is_sum=
    is_rc=0
    TEMPPATH=$1
    if [ -z "${DEPLOYSH_SOURCE:-}" ]; then
        is_why="DEPLOYSH_SOURCE is not set (run through sh -c)"
    elif ! is_hex "$2" || [ ${#2} != 64 ]; then
        is_why="'$2' is not a sha256 in hex"
    elif ! temp_prepare 1; then
        is_why=$tp_msg
    elif ! is_sum=$(printf '%s' "$DEPLOYSH_SOURCE" | sha256sum) || [ "${is_sum%% *}" != "$2" ]; then
        is_why="the program's sha256 is ${is_sum%% *}, not $2"
    elif ! is_tmp=$(mktemp "$RUN/.activator.XXXXXX" 2>/dev/null); then
        is_why="cannot create a file in $RUN"
    elif ! printf '%s' "$DEPLOYSH_SOURCE" >"$is_tmp" 2>/dev/null || ! chmod 600 "$is_tmp" ||
        ! mv -f -- "$is_tmp" "$RUN/activator-$2.sh"; then
        rm -f -- "$is_tmp"
        is_why="cannot write $RUN/activator-$2.sh"
    else
        is_rc=1
    fi
    emit installed "$is_rc"
    [ "$is_rc" = 1 ] || say "note: the activator was not installed: $is_why"
    TEMPPATH=
}

deploysh_main() {
    [ $# -ge 1 ] || usage "no subcommand"
    if [ "$1" = --install ]; then
        [ $# -ge 4 ] || usage "--install takes TEMPPATH SHA256 SUBCOMMAND ARGS..."
        install_self "$2" "$3"
        shift 3
    fi
    dm_cmd=$1
    shift
    case $dm_cmd in
    activate) cmd_activate "$@" ;;
    watchdog) cmd_watchdog "$@" ;;
    wait) cmd_wait "$@" ;;
    confirm) cmd_confirm "$@" ;;
    extend) cmd_extend "$@" ;;
    result) cmd_result "$@" ;;
    rollback) cmd_rollback "$@" ;;
    generations) cmd_generations "$@" ;;
    status) cmd_status "$@" ;;
    profile-path) cmd_profile_path "$@" ;;
    *) usage "unknown subcommand '$dm_cmd'" ;;
    esac
}

deploysh_main "$@"
