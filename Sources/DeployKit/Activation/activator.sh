#!/bin/sh
# deploysh activator: the on-target half of the activation protocol (DESIGN.md, docs/testbed.md).
#
# deploysh sends this file over ssh as
#   sh -c "DEPLOYSH_SOURCE=<this file, quoted>; export DEPLOYSH_SOURCE; eval \"\$DEPLOYSH_SOURCE\"" deploysh-activator CMD...
# (every word quoted by RemoteShell.quote), so the target needs only sh, coreutils and nix-env.
# It can also run as a file: `sh activator.sh CMD ARGS...`.
#
# STDOUT carries only `deploysh:KEY=VALUE` lines; everything for people goes to STDERR. The
# activation's own output goes to a file in TEMPPATH that is streamed to STDERR, so a daemon that
# keeps its output open cannot hold the ssh session.
# Exit codes: 0 ok, 1 failed or rolled back, 2 timed out, 64 usage, 70 nix-env --set failed,
# 75 profile locked by another deployment.
#
# Processes of one `activate`:
#   activator (this process, in the ssh session): takes the lock, starts the watchdog, sets the
#     profile, runs the activation in its own session and process group (killed as a group on
#     activationTimeout), records the outcome in the status file.
#   watchdog (setsid, SIGHUP ignored, started BEFORE the activation, not in its process tree):
#     becomes the lock's holder; when the activator dies without recording an outcome, it kills
#     the activation and rolls back; with magic rollback it owns the canary and the deadline.
# Deadlines use /proc/uptime (monotonic, 1/100 s), never the wall clock.

set -u
umask 022
HANDSHAKE_GRACE=100 # 1/100 s added to confirmTimeout for the confirmation's new ssh connection

emit() {
    printf 'deploysh:%s=%s\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ')"
}

say() {
    printf '%s\n' "$*" >&2
}

usage() {
    emit error usage
    say "error: $1"
    say "usage: deploysh-activator activate PROFILE CLOSURE MODE TEMPPATH MAGIC AUTO CONFIRM_TIMEOUT ID [ACTIVATION_TIMEOUT]"
    say "       deploysh-activator wait|result TEMPPATH ID TIMEOUT"
    say "       deploysh-activator confirm TEMPPATH ID [WAIT]"
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
    if [ "${2:-}" = create ]; then mkdir -p "$cp_dir" 2>/dev/null || true; fi
    if cp_real=$(cd -P -- "$cp_dir" 2>/dev/null && pwd -P); then
        PROFILE=${cp_real%/}/$cp_name
    else
        PROFILE=$1
    fi
}

# --- files of one deployment ------------------------------------------------------------------

set_paths() {
    CANARY=$TEMPPATH/deploy-rs-canary-$ID
    STATUS_FILE=$TEMPPATH/deploysh-status-$ID
    REQUEST_FILE=$TEMPPATH/deploysh-rollback-$ID
    DEADLINE_FILE=$TEMPPATH/deploysh-deadline-$ID
    WATCH_FILE=$TEMPPATH/deploysh-watch-$ID
    STATE_FILE=$TEMPPATH/deploysh-state-$ID
    GROUP_FILE=$TEMPPATH/deploysh-group-$ID
    OUTPUT_FILE=$TEMPPATH/deploysh-output-$ID.log
    WATCHDOG_LOG=$TEMPPATH/deploysh-watchdog-$ID.log
}

# read_status: sets st_state and st_gen from the status file (`STATE [GENERATION]`).
read_status() {
    st_line=
    if [ -f "$STATUS_FILE" ]; then
        IFS= read -r st_line <"$STATUS_FILE" || true
    fi
    st_state=${st_line%% *}
    st_gen=
    case $st_line in *' '*) st_gen=${st_line#* } ;; esac
}

write_status() {
    printf '%s\n' "$*" >"$STATUS_FILE.$$" && mv -f "$STATUS_FILE.$$" "$STATUS_FILE"
}

is_final() {
    case $1 in confirmed | rolled-back | rollback-failed | failed | set-failed | aborted) return 0 ;; esac
    return 1
}

# --- processes ------------------------------------------------------------------------------------

# proc_start PID: the process's start time (ticks since boot), empty without /proc.
proc_start() {
    ps_stat=
    { IFS= read -r ps_stat <"/proc/$1/stat"; } 2>/dev/null || return 0
    ps_stat=${ps_stat##*") "}
    # shellcheck disable=SC2086 # split into fields on purpose (numbers and a state letter)
    set -- $ps_stat
    printf '%s' "${20:-}"
}

# pid_alive PID [START]: the process exists (a zombie or a reused pid does not count).
# Shell builtins only: it runs in polling loops.
pid_alive() {
    is_uint "$1" || return 1
    if [ ! -d /proc/self ]; then
        kill -0 "$1" 2>/dev/null
        return
    fi
    pa_want=${2:-}
    pa_stat=
    { IFS= read -r pa_stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    pa_stat=${pa_stat##*") "}
    case $pa_stat in '' | Z* | X*) return 1 ;; esac
    [ -n "$pa_want" ] || return 0
    # shellcheck disable=SC2086 # split into fields on purpose (numbers and a state letter)
    set -- $pa_stat
    [ "${20:-}" = "$pa_want" ]
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
    [ -f "$WATCH_FILE" ] || return 1
    { IFS= read -r wa_pid && IFS= read -r wa_start; } <"$WATCH_FILE" || true
    pid_alive "$wa_pid" "$wa_start"
}

# kill_activation: ends the activation's whole process group (TERM, then KILL).
kill_activation() {
    ka_group=
    if [ -f "$GROUP_FILE" ]; then IFS= read -r ka_group <"$GROUP_FILE" || ka_group=; fi
    case $ka_group in -*) ;; *) is_uint "$ka_group" || return 0 ;; esac
    # No `--`: dash's kill takes `-PGID` after the signal and rejects `--`.
    kill -TERM "$ka_group" 2>/dev/null || return 0
    ka_n=0
    while kill -0 "$ka_group" 2>/dev/null && [ "$ka_n" -lt 20 ]; do
        ka_n=$((ka_n + 1))
        sleep 0.1
    done
    kill -KILL "$ka_group" 2>/dev/null || true
}

# --- the per-profile lock ---------------------------------------------------------------------

# The lock lives beside the canonical profile, whatever the temp path: one per profile and host.
set_lock_dir() {
    LOCK_DIR=$(parent_dir "$PROFILE")/.deploysh-lock-${PROFILE##*/}
}

write_holder() {
    {
        printf 'pid=%s\n' "$1"
        printf 'start=%s\n' "$(proc_start "$1")"
        printf 'host=%s\n' "$(uname -n)"
        printf 'user=%s\n' "$(id -un 2>/dev/null)"
        printf 'date=%s\n' "$(stamp)"
        printf 'id=%s\n' "$ID"
    } >"$LOCK_DIR/holder.$$" && mv -f "$LOCK_DIR/holder.$$" "$LOCK_DIR/holder"
}

read_holder() {
    h_pid='' h_start='' h_host='' h_user='' h_date='' h_id=''
    [ -f "$1/holder" ] || return 1
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

# lock_take: 0 when taken, 75 when a live process holds it (nothing changed), 1 on error.
lock_take() {
    set_lock_dir
    lt_try=0
    while [ "$lt_try" -lt 20 ]; do
        lt_try=$((lt_try + 1))
        if mkdir "$LOCK_DIR" 2>/dev/null; then
            write_holder "$$"
            LOCK_OWNED=1
            return 0
        fi
        if [ ! -d "$LOCK_DIR" ]; then
            say "error: cannot create the lock $LOCK_DIR (is $(parent_dir "$PROFILE") writable by $(id -un 2>/dev/null)?)"
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
        if mv "$LOCK_DIR" "$lt_aside" 2>/dev/null; then
            if read_holder "$lt_aside" && pid_alive "$h_pid" "$h_start"; then
                mv "$lt_aside" "$LOCK_DIR" 2>/dev/null || true
                continue
            fi
            say "note: taking over the stale lock of $(holder_text): its process is gone"
            emit stale-lock "$(holder_text)"
            rm -rf "$lt_aside"
        fi
    done
    say "error: could not take the lock $LOCK_DIR"
    return 75
}

lock_release() {
    [ "${LOCK_OWNED:-0}" = 1 ] || return 0
    if read_holder "$LOCK_DIR" && [ "$h_pid" = "$$" ]; then
        rm -rf "$LOCK_DIR"
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

link_date() {
    ld_secs=$(stat -c %Y "$1" 2>/dev/null) || ld_secs=$(stat -f %m "$1" 2>/dev/null) || ld_secs=
    [ -n "$ld_secs" ] || return 0
    date -u -d "@$ld_secs" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null ||
        date -u -r "$ld_secs" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || printf '%s' "$ld_secs"
}

nix_env() {
    (trap - PIPE && exec nix-env "$@") </dev/null 1>&2
}

# --- activation -------------------------------------------------------------------------------

# activation_command PATH MODE: sets ac_kind (deploy-rs, stc or none) for PATH.
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
    so_end=$(wc -c <"$OUTPUT_FILE" 2>/dev/null) || so_end=$1
    so_end=$((so_end + 0))
    if [ "$so_end" -gt "$1" ]; then
        tail -c +"$(($1 + 1))" "$OUTPUT_FILE" 2>/dev/null | head -c "$((so_end - $1))" >&2
    fi
}

# activate_path PATH MODE: runs the activation of PATH (switch, boot or dry-activate) in its own
# session and process group, output to a file streamed to stderr; waits for the PROCESS to exit
# (not for its output to close) and kills its group after ACT_TIMEOUT seconds (0: no limit).
# Sets ap_timed_out=1 when it was killed for that.
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
    : >"$OUTPUT_FILE" || {
        say "error: cannot write $OUTPUT_FILE"
        return 1
    }
    ap_setsid=
    if command -v setsid >/dev/null 2>&1; then ap_setsid=setsid; fi
    # shellcheck disable=SC2016 # expanded by the activation's own shell
    $ap_setsid sh -c '
        trap - PIPE HUP INT TERM
        if [ "$1" = deploy-rs ]; then
            cd "$2" || exit 1
            PROFILE=$2 DRY_ACTIVATE=$4 BOOT=$5
            export PROFILE DRY_ACTIVATE BOOT
            exec "$2/deploy-rs-activate"
        fi
        cd / || exit 1
        exec "$2/bin/switch-to-configuration" "$3"' deploysh-activation \
        "$ac_kind" "$ap_path" "$ap_mode" "$ap_dry" "$ap_boot" </dev/null >>"$OUTPUT_FILE" 2>&1 &
    ap_pid=$!
    if [ -n "$ap_setsid" ]; then ap_group=-$ap_pid; else ap_group=$ap_pid; fi
    printf '%s\n' "$ap_group" >"$GROUP_FILE" 2>/dev/null || true
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
            kill_activation
            break
        fi
        ap_n=$((ap_n + 1))
        nap "$ap_n"
    done
    ap_status=0
    wait "$ap_pid" || ap_status=$?
    stream_output "$ap_at"
    rm -f "$OUTPUT_FILE" "$GROUP_FILE"
    if [ "$ap_timed_out" = 1 ] && [ "$ap_status" = 0 ]; then ap_status=124; fi
    return "$ap_status"
}

# roll_back PREV_LINK PREV_GEN NEW_GEN CREATED MODE: undoes one deployment of PROFILE.
# Returns 0 when the previous state is back (and its activation ran fine).
roll_back() {
    rb_prev_link=$1
    rb_prev_gen=$2
    rb_new_gen=$3
    rb_created=$4
    rb_mode=switch
    [ "$5" = boot ] && rb_mode=boot
    rb_status=0
    if [ -n "$rb_prev_gen" ]; then
        if [ "$(generation_of "$PROFILE")" != "$rb_prev_gen" ]; then
            say "deploysh: switching $PROFILE back to generation $rb_prev_gen"
            nix_env -p "$PROFILE" --switch-generation "$rb_prev_gen" || rb_status=$?
        fi
    elif [ -n "$rb_prev_link" ]; then
        say "deploysh: pointing $PROFILE back to $rb_prev_link"
        ln -sfn "$rb_prev_link" "$PROFILE" || rb_status=$?
    else
        say "deploysh: $PROFILE did not exist before: removing it"
        rm -f "$PROFILE" || rb_status=$?
        if [ "$rb_created" = 1 ] && [ -n "$rb_new_gen" ]; then
            rm -f "$PROFILE-$rb_new_gen-link" || rb_status=$?
        fi
    fi
    if [ "$rb_status" != 0 ]; then
        say "error: could not restore $PROFILE (status $rb_status)"
        return "$rb_status"
    fi
    if [ "$rb_created" = 1 ] && [ -n "$rb_new_gen" ] && [ "$rb_new_gen" != "$rb_prev_gen" ] &&
        [ -n "$rb_prev_gen$rb_prev_link" ]; then
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

# roll_back_recorded REASON: rolls back with what the state file recorded; writes the verdict.
roll_back_recorded() {
    rr_prev_link='' rr_prev_gen='' rr_new_gen='' rr_created=0 rr_mode=switch
    if [ -f "$STATE_FILE" ]; then
        {
            IFS= read -r rr_prev_link
            IFS= read -r rr_prev_gen
            IFS= read -r rr_new_gen
            IFS= read -r rr_created
            IFS= read -r rr_mode
        } <"$STATE_FILE" || true
    fi
    [ -n "$rr_new_gen" ] || rr_new_gen=$(generation_of "$PROFILE")
    say "$(stamp) $1: rolling back"
    write_status rolling-back
    if roll_back "$rr_prev_link" "$rr_prev_gen" "$rr_new_gen" "$rr_created" "$rr_mode"; then
        write_status rolled-back "$(generation_of "$PROFILE")"
    else
        write_status rollback-failed "$(generation_of "$PROFILE")"
    fi
    say "$(stamp) $(cat "$STATUS_FILE" 2>/dev/null)"
}

# prune: keeps the status files and logs of the last 5 deployments in TEMPPATH, nothing else;
# the working files of a deployment whose watchdog was killed go too.
prune() {
    (
        cd "$TEMPPATH" 2>/dev/null || exit 0
        for pr_watch in deploysh-watch-*; do
            pr_id=${pr_watch#deploysh-watch-}
            is_hex "$pr_id" || continue
            pr_pid='' pr_start=''
            { IFS= read -r pr_pid && IFS= read -r pr_start; } <"$pr_watch" || true
            pid_alive "$pr_pid" "$pr_start" && continue
            rm -f "deploy-rs-canary-$pr_id" "deploysh-deadline-$pr_id" "deploysh-state-$pr_id" \
                "deploysh-group-$pr_id" "deploysh-output-$pr_id.log" "deploysh-rollback-$pr_id" "$pr_watch"
        done
        # shellcheck disable=SC2012 # names are deploysh-status-HEX: no blanks or newlines
        ls -1t deploysh-status-* 2>/dev/null | tail -n +6 | while IFS= read -r pr_file; do
            pr_id=${pr_file#deploysh-status-}
            is_hex "$pr_id" || continue
            [ -e "deploysh-watch-$pr_id" ] && continue
            rm -f "$pr_file" "deploysh-watchdog-$pr_id.log"
        done
    )
}

# --- subcommands ------------------------------------------------------------------------------

cmd_activate() {
    [ $# -eq 8 ] || [ $# -eq 9 ] || usage "activate takes 8 or 9 arguments, got $#"
    PROFILE=$1 CLOSURE=$2 MODE=$3 TEMPPATH=$4 MAGIC=$5 AUTO=$6 TIMEOUT=$7 ID=$8 ACT_TIMEOUT=${9:-0}
    need_absolute profile "$PROFILE"
    need_absolute closure "$CLOSURE"
    need_absolute "temp path" "$TEMPPATH"
    case $MODE in switch | boot | dry-activate) ;; *) usage "unknown mode '$MODE'" ;; esac
    case $MAGIC$AUTO in [01][01]) ;; *) usage "MAGIC and AUTO must be 0 or 1" ;; esac
    need_uint "confirm timeout" "$TIMEOUT"
    need_uint "activation timeout" "$ACT_TIMEOUT"
    need_id "$ID"
    [ "$MODE" = switch ] || MAGIC=0
    canonical_profile "$PROFILE" create
    set_paths
    trap 'lock_release' EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    trap '' PIPE HUP
    emit profile "$PROFILE"
    if ! mkdir -p "$TEMPPATH" 2>/dev/null || ! : >"$STATUS_FILE" 2>/dev/null; then
        say "error: cannot write to the temp path $TEMPPATH"
        say "hint: set tempPath to a directory the profile user can write"
        emit result temp-path-unwritable
        exit 1
    fi
    rm -f "$STATUS_FILE"
    lock_take || exit $?

    if [ "$MODE" = dry-activate ]; then
        if [ ! -e "$CLOSURE" ]; then
            say "error: $CLOSURE does not exist on this host (copy it first)"
            emit result dry-activation-failed
            emit status 1
            exit 1
        fi
        ca_status=0
        activate_path "$CLOSURE" dry-activate || ca_status=$?
        if [ "$ca_status" = 0 ]; then
            emit result dry-activated
            exit 0
        fi
        [ "$ap_timed_out" = 0 ] || emit timeout "$ACT_TIMEOUT"
        emit result dry-activation-failed
        emit status "$ca_status"
        exit 1
    fi

    ca_prev_link=$(readlink "$PROFILE" 2>/dev/null) || ca_prev_link=
    ca_prev_gen=$(generation_of "$PROFILE")
    ca_last_gen=$(last_generation "$PROFILE")
    emit previous "$(resolve "$PROFILE")"
    emit previous-generation "$ca_prev_gen"
    printf '%s\n%s\n\n0\n%s\n' "$ca_prev_link" "$ca_prev_gen" "$MODE" >"$STATE_FILE"
    start_watchdog || exit 1

    if ! nix_env -p "$PROFILE" --set "$CLOSURE"; then
        say "error: nix-env -p $PROFILE --set $CLOSURE failed"
        write_status set-failed
        emit result set-failed
        exit 70
    fi
    ca_new_gen=$(generation_of "$PROFILE")
    ca_created=0
    if [ -n "$ca_new_gen" ] && { [ -z "$ca_last_gen" ] || [ "$ca_new_gen" -gt "$ca_last_gen" ]; }; then
        ca_created=1
    fi
    printf '%s\n%s\n%s\n%s\n%s\n' "$ca_prev_link" "$ca_prev_gen" "$ca_new_gen" "$ca_created" "$MODE" >"$STATE_FILE"
    emit generation "$ca_new_gen"
    write_status running "$ca_new_gen"

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
            roll_back_recorded "the activation failed"
            read_status
        else
            write_status failed "$ca_new_gen"
            read_status
        fi
        wait_watchdog
        emit generation "$(generation_of "$PROFILE")"
        emit result "$st_state"
        emit status "$ca_status"
        exit 1
    fi
    write_status activated "$ca_new_gen"
    if [ "$MODE" = switch ] && [ "$MAGIC" = 1 ]; then
        # The watchdog creates the canary and starts the deadline now.
        sw_n=0
        while [ ! -e "$CANARY" ] && [ "$sw_n" -lt 400 ]; do
            read_status
            is_final "$st_state" && break
            watch_alive || break
            sw_n=$((sw_n + 1))
            sleep 0.02
        done
        if [ -e "$CANARY" ]; then
            emit canary "$CANARY"
            emit watchdog-log "$WATCHDOG_LOG"
            emit result pending
            exit 0
        fi
        read_status
        say "error: the magic-rollback watchdog did not arm (see $WATCHDOG_LOG)"
        is_final "$st_state" || roll_back_recorded "the watchdog did not arm"
        read_status
        emit generation "$st_gen"
        emit result "$st_state"
        exit 1
    fi
    wait_watchdog
    emit result activated
    exit 0
}

# wait_watchdog: waits (bounded) until the watchdog has released the lock and exited.
wait_watchdog() {
    ww_n=0
    while watch_alive && [ "$ww_n" -lt 200 ]; do
        ww_n=$((ww_n + 1))
        sleep 0.02
    done
}

# start_watchdog: starts the detached watchdog and waits until it holds the lock.
start_watchdog() {
    sw_setsid=
    if command -v setsid >/dev/null 2>&1; then sw_setsid=setsid; fi
    sw_source=${DEPLOYSH_SOURCE:-}
    if [ -z "$sw_source" ] && [ -r "$0" ]; then sw_source=$(cat "$0"); fi
    rm -f "$CANARY" "$REQUEST_FILE" "$DEADLINE_FILE" "$WATCH_FILE"
    # A new session, SIGHUP ignored, stdio on a log file: neither the ssh session ending, the
    # deployer dying nor the activation killing its parent can take it down.
    DEPLOYSH_SOURCE=$sw_source $sw_setsid nohup sh -c "$sw_source" deploysh-activator watchdog \
        "$PROFILE" "$TEMPPATH" "$ID" "$TIMEOUT" "$MAGIC" "$AUTO" "$$" "$(proc_start "$$")" "$ACT_TIMEOUT" \
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

cmd_watchdog() {
    [ $# -eq 9 ] || usage "watchdog takes 9 arguments"
    PROFILE=$1 TEMPPATH=$2 ID=$3 TIMEOUT=$4 MAGIC=$5 AUTO=$6 wd_parent=$7 wd_parent_start=$8 ACT_TIMEOUT=$9
    set_paths
    trap '' HUP PIPE INT
    set_lock_dir
    printf '%s\n%s\n' "$$" "$(proc_start "$$")" >"$WATCH_FILE"
    write_holder "$$"
    LOCK_OWNED=1
    trap 'lock_release; rm -f "$WATCH_FILE"' EXIT
    trap 'exit 143' TERM
    say "$(stamp) watchdog $$ for $PROFILE (deployment $ID)"
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
        if ! pid_alive "$wd_parent" "$wd_parent_start"; then
            read_status
            case $st_state in activated) break ;; set-failed | failed | rolled-back | rollback-failed) finish ;; esac
            say "$(stamp) the activator (pid $wd_parent) died before reporting the activation's outcome"
            kill_activation
            rr_prev_gen=
            if [ -f "$STATE_FILE" ]; then rr_prev_gen=$(sed -n 2p "$STATE_FILE"); fi
            if [ -z "$st_state" ] && [ "$(generation_of "$PROFILE")" = "$rr_prev_gen" ]; then
                write_status aborted "$rr_prev_gen"
            elif [ "$AUTO" = 1 ] || [ "$MAGIC" = 1 ]; then
                roll_back_recorded "outcome never reported"
            else
                write_status failed "$(generation_of "$PROFILE")"
            fi
            finish
        fi
        wd_n=$((wd_n + 1))
        nap "$wd_n"
    done
    [ "$MAGIC" = 1 ] || finish
    # 2. Magic rollback: the canary must be deleted within TIMEOUT seconds (monotonic clock).
    wd_gen=$st_gen
    write_status pending "$wd_gen"
    : >"$CANARY"
    # The window opens when the deployer is told (the activator exits right after saying `pending`),
    # plus HANDSHAKE_GRACE for the deployer's NEW ssh connection: on a loaded host a handshake
    # alone can take most of a second, and confirmTimeout must be at least what was asked.
    wd_n=0
    while pid_alive "$wd_parent" "$wd_parent_start" && [ "$wd_n" -lt 100 ]; do
        wd_n=$((wd_n + 1))
        sleep 0.02
    done
    wd_deadline=$(($(ticks) + TIMEOUT * 100 + HANDSHAKE_GRACE))
    printf '%s\n%s\n' "$wd_deadline" "$PROFILE" >"$DEADLINE_FILE"
    say "$(stamp) $PROFILE generation $wd_gen: confirm within ${TIMEOUT}s"
    wd_outcome=
    while [ -z "$wd_outcome" ]; do
        if [ -e "$REQUEST_FILE" ]; then
            wd_outcome=requested
        elif [ ! -e "$CANARY" ]; then
            wd_outcome=confirmed
        elif [ "$(ticks)" -ge "$wd_deadline" ]; then
            wd_outcome=timeout
        else
            sleep 0.05
        fi
    done
    # Renaming the canary decides atomically against a concurrent `confirm` (rm).
    if [ "$wd_outcome" != confirmed ] && ! mv "$CANARY" "$CANARY.expired" 2>/dev/null; then
        wd_outcome=confirmed
    fi
    if [ "$wd_outcome" = confirmed ]; then
        say "$(stamp) confirmed"
        write_status confirmed "$(generation_of "$PROFILE")"
        rm -f "$WATCHDOG_LOG"
    else
        roll_back_recorded "not confirmed ($wd_outcome)"
    fi
    finish
}

# finish: removes this deployment's working files (the status stays for `result`), then exits.
finish() {
    rm -f "$CANARY.expired" "$REQUEST_FILE" "$DEADLINE_FILE" "$STATE_FILE" "$GROUP_FILE" "$OUTPUT_FILE"
    prune
    exit 0
}

# wait_final SECONDS: waits until the watchdog is done (bounded); sets wf_status and wf_gen.
# A final status whose watchdog is still finishing counts once SECONDS are over; no final
# status by then leaves wf_status empty.
wait_final() {
    wf_end=$(($(ticks) + $1 * 100))
    while :; do
        if ! watch_alive; then
            # The watchdog is gone: what it left is all there is.
            read_status
            wf_status=$st_state wf_gen=$st_gen
            case $wf_status in
            '') wf_status=missing ;;
            activated | confirmed | rolled-back | rollback-failed | failed | set-failed | aborted) ;;
            *) wf_status=lost ;;
            esac
            return 0
        fi
        if [ "$(ticks)" -ge "$wf_end" ]; then
            read_status
            wf_status=$st_state wf_gen=$st_gen
            is_final "$wf_status" || wf_status=
            return 0
        fi
        sleep 0.05
    done
}

cmd_wait() {
    [ $# -eq 3 ] || usage "wait takes TEMPPATH ID TIMEOUT"
    TEMPPATH=$1 ID=$2
    need_id "$ID"
    need_uint timeout "$3"
    set_paths
    cw_end=$(($(ticks) + $3 * 100))
    while :; do
        if [ -e "$CANARY" ]; then
            emit canary present
            exit 0
        fi
        read_status
        case $st_state in
        confirmed)
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
    [ $# -eq 2 ] || [ $# -eq 3 ] || usage "confirm takes TEMPPATH ID [WAIT]"
    TEMPPATH=$1 ID=$2
    need_id "$ID"
    [ $# -eq 2 ] || need_uint wait "$3"
    set_paths
    # Never confirm for a deployer that is gone: when its ssh session has closed, this write
    # fails (SIGPIPE or EPIPE) and the canary stays for the watchdog.
    emit confirming "$ID" || exit 1
    if rm "$CANARY" 2>/dev/null; then
        # Deleting the canary decides the outcome (the watchdog renames it to time out).
        # With WAIT, also wait for the watchdog to finish, so the lock is free on return.
        if [ $# -eq 3 ]; then
            wait_final "$3"
            emit generation "$wf_gen"
        fi
        emit result confirmed
        exit 0
    fi
    wait_final 0
    [ -n "$wf_status" ] || wf_status=$st_state
    [ -n "$wf_status" ] || wf_status=missing
    emit generation "$wf_gen"
    emit result "$wf_status"
    [ "$wf_status" = confirmed ] && exit 0
    say "error: deployment $ID cannot be confirmed: $wf_status"
    exit 1
}

cmd_result() {
    [ $# -eq 3 ] || usage "result takes TEMPPATH ID TIMEOUT"
    TEMPPATH=$1 ID=$2
    need_id "$ID"
    need_uint timeout "$3"
    set_paths
    wait_final "$3"
    emit generation "$wf_gen"
    case $wf_status in
    confirmed | activated)
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
        need_id "$ID"
        set_paths
        if watch_alive; then : >"$REQUEST_FILE"; fi
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
    trap 'lock_release' EXIT
    trap 'exit 143' TERM
    trap '' PIPE HUP
    lock_take || exit $?
    OUTPUT_FILE=$TEMPPATH/deploysh-output-rollback-$$.log
    GROUP_FILE=$TEMPPATH/deploysh-group-rollback-$$
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
    cs_now=$(ticks)
    for cs_file in "$TEMPPATH"/deploysh-deadline-*; do
        [ -f "$cs_file" ] || continue
        cs_id=${cs_file##*/deploysh-deadline-}
        is_hex "$cs_id" || continue
        [ -e "$TEMPPATH/deploy-rs-canary-$cs_id" ] || continue
        cs_deadline='' cs_profile=''
        { IFS= read -r cs_deadline && IFS= read -r cs_profile; } <"$cs_file" || true
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

deploysh_main() {
    [ $# -ge 1 ] || usage "no subcommand"
    dm_cmd=$1
    shift
    case $dm_cmd in
    activate) cmd_activate "$@" ;;
    watchdog) cmd_watchdog "$@" ;;
    wait) cmd_wait "$@" ;;
    confirm) cmd_confirm "$@" ;;
    result) cmd_result "$@" ;;
    rollback) cmd_rollback "$@" ;;
    generations) cmd_generations "$@" ;;
    status) cmd_status "$@" ;;
    profile-path) cmd_profile_path "$@" ;;
    *) usage "unknown subcommand '$dm_cmd'" ;;
    esac
}

deploysh_main "$@"
