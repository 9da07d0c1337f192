/// The on-target half of the activation protocol: a POSIX sh program that deploysh sends over SSH.
///
/// It exists so that a target needs no deploysh binary (unlike deploy-rs's `activate-rs`): every
/// Nix host has `sh`, coreutils and `nix-env`, and that is all this program uses. It takes the
/// per-profile lock, sets the profile, runs the activation (`deploy-rs-activate`, else
/// `bin/switch-to-configuration`, else nothing), rolls back on failure, and leaves the detached
/// magic-rollback watchdog that survives the SSH session and the deployer.
///
/// Run it as `sh -c SOURCE deploysh-activator SUBCOMMAND ARGS...`, every word quoted by
/// `RemoteShell.quote`, optionally behind `sudo -u USER`. Standard output carries only
/// `deploysh:KEY=VALUE` lines; people's text and activation output go to standard error.
/// Exit codes: 0 success, 1 failed or rolled back, 2 timed out, 64 usage, 70 `nix-env --set`
/// failed, 75 the profile is locked by another deployment.
///
/// This file is the only copy of the program: edit it here (`scripts/activator-check` runs it on a testbed).
package enum ActivatorScript {
    /// The program text (no trailing newline).
    package static let source: String = #"""
        # deploysh activator: the on-target half of the activation protocol (DESIGN.md).
        # Run as: sh -c "$SOURCE" deploysh-activator SUBCOMMAND ARGS...
        # POSIX sh; needs only sh, coreutils and nix-env. STDOUT carries only `deploysh:KEY=VALUE`
        # lines; everything for people, and all output of activation scripts, goes to STDERR.
        # Exit codes: 0 ok, 1 failed or rolled back, 2 timed out, 64 usage, 70 nix-env --set failed,
        # 75 profile locked by another deployment.
        # The whole program is kept as text so that the detached watchdog can run it again.
        deploysh_lib() {
            cat <<'DEPLOYSH_LIB_END'
        set -u
        umask 022

        emit() {
            printf 'deploysh:%s=%s\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ')"
        }

        say() {
            printf '%s\n' "$*" >&2
        }

        usage() {
            emit error usage
            say "error: $1"
            say "usage: deploysh-activator activate PROFILE CLOSURE MODE TEMPPATH MAGIC AUTO CONFIRM_TIMEOUT ID"
            say "       deploysh-activator wait|result TEMPPATH ID TIMEOUT"
            say "       deploysh-activator confirm TEMPPATH ID"
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

        now() {
            date +%s
        }

        parent_dir() {
            case $1 in
            */*) pd_dir=${1%/*} ;;
            *) pd_dir=. ;;
            esac
            [ -n "$pd_dir" ] || pd_dir=/
            printf '%s' "$pd_dir"
        }

        # --- files of one deployment ------------------------------------------------------------------

        set_paths() {
            CANARY=$TEMPPATH/deploy-rs-canary-$ID
            STATUS_FILE=$TEMPPATH/deploysh-status-$ID
            REQUEST_FILE=$TEMPPATH/deploysh-rollback-$ID
            DEADLINE_FILE=$TEMPPATH/deploysh-deadline-$ID
            WATCHDOG_LOG=$TEMPPATH/deploysh-watchdog-$ID.log
        }

        read_status() {
            rs_value=
            if [ -f "$STATUS_FILE" ]; then
                IFS= read -r rs_value <"$STATUS_FILE" || true
            fi
            printf '%s' "$rs_value"
        }

        write_status() {
            printf '%s\n' "$1" >"$STATUS_FILE.$$" && mv -f "$STATUS_FILE.$$" "$STATUS_FILE"
        }

        # --- the per-profile lock ---------------------------------------------------------------------

        set_lock_dir() {
            LOCK_DIR=$TEMPPATH/deploysh-lock-$(printf '%s' "$1" | cksum | cut -d' ' -f1)
        }

        proc_start() {
            ps_stat=
            if [ -r "/proc/$1/stat" ]; then
                ps_stat=$(cat "/proc/$1/stat" 2>/dev/null) || ps_stat=
            fi
            [ -n "$ps_stat" ] || return 0
            ps_stat=${ps_stat##*") "}
            printf '%s' "$ps_stat" | cut -d' ' -f20
        }

        # pid_alive PID [START]: the process exists (a zombie or a reused pid does not count).
        pid_alive() {
            is_uint "$1" || return 1
            if [ -d /proc/self ]; then
                pa_stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
                pa_stat=${pa_stat##*") "}
                case $pa_stat in Z* | X*) return 1 ;; esac
                if [ -n "${2:-}" ] && [ "$(printf '%s' "$pa_stat" | cut -d' ' -f20)" != "$2" ]; then
                    return 1
                fi
                return 0
            fi
            kill -0 "$1" 2>/dev/null && return 0
            ps -p "$1" >/dev/null 2>&1
        }

        write_holder() {
            {
                printf 'pid=%s\n' "$1"
                printf 'start=%s\n' "$(proc_start "$1")"
                printf 'host=%s\n' "$(uname -n)"
                printf 'user=%s\n' "$(id -un 2>/dev/null)"
                printf 'date=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
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

        # lock_take PROFILE: 0 when taken, 75 when a live process holds it (nothing changed).
        lock_take() {
            set_lock_dir "$1"
            if ! mkdir -p "$TEMPPATH" 2>/dev/null; then
                say "error: cannot create temp path $TEMPPATH"
                return 1
            fi
            lt_try=0
            while [ "$lt_try" -lt 20 ]; do
                lt_try=$((lt_try + 1))
                if mkdir "$LOCK_DIR" 2>/dev/null; then
                    write_holder "$$"
                    LOCK_OWNED=1
                    return 0
                fi
                if ! read_holder "$LOCK_DIR"; then
                    # Just created by someone else, or left without a holder file: give it a moment.
                    if [ "$lt_try" -lt 10 ]; then
                        sleep 0.1
                        continue
                    fi
                elif pid_alive "$h_pid" "$h_start"; then
                    emit locked "$(holder_text)"
                    say "error: profile $1 is being deployed by $(holder_text)"
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
                    say "note: taking over the stale lock of $(holder_text)"
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

        # activate_path PATH MODE: runs the activation of PATH; MODE is switch, boot or dry-activate.
        activate_path() {
            ap_path=$1
            ap_mode=$2
            if [ -e "$ap_path/deploy-rs-activate" ]; then
                ap_dry=0
                ap_boot=0
                case $ap_mode in
                dry-activate) ap_dry=1 ;;
                boot) ap_boot=1 ;;
                esac
                say "deploysh: running $ap_path/deploy-rs-activate (DRY_ACTIVATE=$ap_dry BOOT=$ap_boot)"
                (
                    cd "$ap_path" || exit 1
                    trap - PIPE
                    PROFILE=$ap_path
                    DRY_ACTIVATE=$ap_dry
                    BOOT=$ap_boot
                    export PROFILE DRY_ACTIVATE BOOT
                    exec "$ap_path/deploy-rs-activate"
                ) </dev/null 1>&2
                return $?
            fi
            if [ -e "$ap_path/bin/switch-to-configuration" ]; then
                say "deploysh: running $ap_path/bin/switch-to-configuration $ap_mode"
                (
                    cd / || exit 1
                    trap - PIPE
                    exec "$ap_path/bin/switch-to-configuration" "$ap_mode"
                ) </dev/null 1>&2
                return $?
            fi
            say "deploysh: $ap_path has no deploy-rs-activate or bin/switch-to-configuration: nothing to activate"
            return 0
        }

        # roll_back PROFILE PREV_LINK PREV_GEN NEW_GEN CREATED MODE: undoes one deployment.
        # Returns 0 when the previous state is back (and its activation ran fine).
        roll_back() {
            rb_profile=$1
            rb_prev_link=$2
            rb_prev_gen=$3
            rb_new_gen=$4
            rb_created=$5
            rb_mode=switch
            [ "$6" = boot ] && rb_mode=boot
            rb_status=0
            if [ "$rb_created" != 1 ]; then
                say "deploysh: the deployment created no generation; restoring the previous link only"
            fi
            if [ -n "$rb_prev_gen" ]; then
                if [ "$(generation_of "$rb_profile")" != "$rb_prev_gen" ]; then
                    say "deploysh: switching $rb_profile back to generation $rb_prev_gen"
                    nix_env -p "$rb_profile" --switch-generation "$rb_prev_gen" || rb_status=$?
                fi
            elif [ -n "$rb_prev_link" ]; then
                say "deploysh: pointing $rb_profile back to $rb_prev_link"
                ln -sfn "$rb_prev_link" "$rb_profile" || rb_status=$?
            else
                say "deploysh: $rb_profile did not exist before: removing it"
                rm -f "$rb_profile" || rb_status=$?
                if [ "$rb_created" = 1 ] && [ -n "$rb_new_gen" ]; then
                    rm -f "$rb_profile-$rb_new_gen-link" || rb_status=$?
                fi
            fi
            if [ "$rb_status" != 0 ]; then
                say "error: could not restore $rb_profile (status $rb_status)"
                return "$rb_status"
            fi
            if [ "$rb_created" = 1 ] && [ -n "$rb_new_gen" ] && [ -n "$rb_prev_gen$rb_prev_link" ]; then
                say "deploysh: deleting the failed generation $rb_new_gen"
                nix_env -p "$rb_profile" --delete-generations "$rb_new_gen" ||
                    say "warning: could not delete generation $rb_new_gen of $rb_profile"
            fi
            if [ -e "$rb_profile" ]; then
                activate_path "$rb_profile" "$rb_mode" || rb_status=$?
                if [ "$rb_status" != 0 ]; then
                    say "error: the activation of the previous generation failed (status $rb_status)"
                fi
            fi
            return "$rb_status"
        }

        # --- subcommands ------------------------------------------------------------------------------

        cmd_activate() {
            [ $# -eq 8 ] || usage "activate takes 8 arguments, got $#"
            PROFILE=$1 CLOSURE=$2 MODE=$3 TEMPPATH=$4 MAGIC=$5 AUTO=$6 TIMEOUT=$7 ID=$8
            need_absolute profile "$PROFILE"
            need_absolute closure "$CLOSURE"
            need_absolute "temp path" "$TEMPPATH"
            case $MODE in switch | boot | dry-activate) ;; *) usage "unknown mode '$MODE'" ;; esac
            case $MAGIC$AUTO in [01][01]) ;; *) usage "MAGIC and AUTO must be 0 or 1" ;; esac
            need_uint "confirm timeout" "$TIMEOUT"
            need_id "$ID"
            set_paths
            trap 'lock_release' EXIT
            trap 'exit 143' TERM
            trap 'exit 130' INT
            trap '' PIPE HUP
            lock_take "$PROFILE" || exit $?

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
                emit result dry-activation-failed
                emit status "$ca_status"
                exit 1
            fi

            ca_prev_link=$(readlink "$PROFILE" 2>/dev/null) || ca_prev_link=
            ca_prev_gen=$(generation_of "$PROFILE")
            ca_last_gen=$(last_generation "$PROFILE")
            emit previous "$(resolve "$PROFILE")"
            emit previous-generation "$ca_prev_gen"
            mkdir -p "$(parent_dir "$PROFILE")" || true
            if ! nix_env -p "$PROFILE" --set "$CLOSURE"; then
                say "error: nix-env -p $PROFILE --set $CLOSURE failed"
                emit result set-failed
                exit 70
            fi
            ca_new_gen=$(generation_of "$PROFILE")
            ca_created=0
            if [ -n "$ca_new_gen" ] && { [ -z "$ca_last_gen" ] || [ "$ca_new_gen" -gt "$ca_last_gen" ]; }; then
                ca_created=1
            fi
            emit generation "$ca_new_gen"

            ca_status=0
            activate_path "$PROFILE" "$MODE" || ca_status=$?
            if [ "$ca_status" != 0 ]; then
                say "error: activation of $CLOSURE failed (status $ca_status)"
                if [ "$AUTO" = 1 ]; then
                    if roll_back "$PROFILE" "$ca_prev_link" "$ca_prev_gen" "$ca_new_gen" "$ca_created" "$MODE"; then
                        emit result rolled-back
                    else
                        emit result rollback-failed
                    fi
                else
                    emit result failed
                fi
                emit status "$ca_status"
                exit 1
            fi

            if [ "$MODE" = switch ] && [ "$MAGIC" = 1 ]; then
                start_watchdog "$ca_prev_link" "$ca_prev_gen" "$ca_new_gen" "$ca_created"
                exit $?
            fi
            emit result activated
            exit 0
        }

        start_watchdog() {
            rm -f "$CANARY" "$STATUS_FILE" "$REQUEST_FILE" "$DEADLINE_FILE"
            sw_setsid=
            if command -v setsid >/dev/null 2>&1; then sw_setsid=setsid; fi
            # A new session, SIGHUP ignored, stdio on a log file: the ssh session can end (or the
            # deployer die) without touching it, and it never holds the session's pipes open.
            $sw_setsid nohup sh -c "$DEPLOYSH_LIB"'
        deploysh_main "$@"' deploysh-activator watchdog "$PROFILE" "$TEMPPATH" "$ID" "$TIMEOUT" \
                "$1" "$2" "$3" "$4" "$$" </dev/null >>"$WATCHDOG_LOG" 2>&1 &
            sw_pid=$!
            sw_try=0
            while [ "$sw_try" -lt 500 ]; do
                [ -e "$CANARY" ] || [ -f "$STATUS_FILE" ] && break
                pid_alive "$sw_pid" || [ -n "$sw_setsid" ] || break
                sw_try=$((sw_try + 1))
                sleep 0.02
            done
            if [ -e "$CANARY" ] || [ -f "$STATUS_FILE" ]; then
                emit canary "$CANARY"
                emit watchdog-log "$WATCHDOG_LOG"
                emit result pending
                return 0
            fi
            say "error: the magic-rollback watchdog did not start (see $WATCHDOG_LOG); rolling back now"
            kill "$sw_pid" 2>/dev/null || true
            if roll_back "$PROFILE" "$1" "$2" "$3" "$4" switch; then
                emit result rolled-back
            else
                emit result rollback-failed
            fi
            emit status 1
            return 1
        }

        cmd_watchdog() {
            [ $# -eq 9 ] || usage "watchdog takes 9 arguments"
            PROFILE=$1 TEMPPATH=$2 ID=$3 TIMEOUT=$4
            wd_prev_link=$5 wd_prev_gen=$6 wd_new_gen=$7 wd_created=$8
            set_paths
            trap '' HUP PIPE INT
            set_lock_dir "$PROFILE"
            write_holder "$$"
            LOCK_OWNED=1
            trap 'lock_release' EXIT
            trap 'exit 143' TERM
            wd_deadline=$(($(now) + TIMEOUT))
            printf '%s\n%s\n' "$wd_deadline" "$PROFILE" >"$DEADLINE_FILE"
            say "$(date -u +%Y-%m-%dT%H:%M:%SZ) watchdog $$: $PROFILE gen $wd_new_gen, confirm within ${TIMEOUT}s"
            # Watching starts now, so the canary may be deleted the moment it exists.
            : >"$CANARY"
            wd_outcome=
            wd_max=$((TIMEOUT * 40 + 400))
            wd_n=0
            while [ -z "$wd_outcome" ]; do
                wd_n=$((wd_n + 1))
                if [ -e "$REQUEST_FILE" ]; then
                    wd_outcome=requested
                elif [ ! -e "$CANARY" ]; then
                    wd_outcome=confirmed
                elif [ "$(now)" -ge "$wd_deadline" ] || [ "$wd_n" -gt "$wd_max" ]; then
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
                say "$(date -u +%Y-%m-%dT%H:%M:%SZ) confirmed"
                write_status confirmed
            else
                say "$(date -u +%Y-%m-%dT%H:%M:%SZ) not confirmed ($wd_outcome): rolling back"
                write_status rolling-back
                if roll_back "$PROFILE" "$wd_prev_link" "$wd_prev_gen" "$wd_new_gen" "$wd_created" switch; then
                    write_status rolled-back
                else
                    write_status rollback-failed
                fi
                say "$(date -u +%Y-%m-%dT%H:%M:%SZ) $(read_status)"
            fi
            rm -f "$CANARY.expired" "$REQUEST_FILE" "$DEADLINE_FILE"
            exit 0
        }

        # wait_final SECONDS: waits for a final status; sets wf_status (empty on timeout).
        wait_final() {
            wf_end=$(($(now) + $1))
            wf_n=0
            while :; do
                wf_status=$(read_status)
                case $wf_status in confirmed | rolled-back | rollback-failed) return 0 ;; esac
                if [ -z "$wf_status" ] && [ ! -f "$DEADLINE_FILE" ] && [ ! -e "$CANARY" ]; then
                    wf_status=missing
                    return 0
                fi
                wf_n=$((wf_n + 1))
                if [ "$(now)" -ge "$wf_end" ] || [ "$wf_n" -gt $(($1 * 10 + 20)) ]; then
                    wf_status=
                    return 0
                fi
                sleep 0.1
            done
        }

        cmd_wait() {
            [ $# -eq 3 ] || usage "wait takes TEMPPATH ID TIMEOUT"
            TEMPPATH=$1 ID=$2
            need_id "$ID"
            need_uint timeout "$3"
            set_paths
            cw_end=$(($(now) + $3))
            cw_n=0
            while :; do
                if [ -e "$CANARY" ]; then
                    emit canary present
                    exit 0
                fi
                case $(read_status) in
                confirmed)
                    emit result confirmed
                    exit 0
                    ;;
                rolled-back | rollback-failed)
                    emit result "$(read_status)"
                    exit 1
                    ;;
                esac
                cw_n=$((cw_n + 1))
                if [ "$(now)" -ge "$cw_end" ] || [ "$cw_n" -gt $(($3 * 10 + 20)) ]; then
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
            if rm "$CANARY" 2>/dev/null; then
                # Deleting the canary decides the outcome (the watchdog renames it to time out).
                # With WAIT, also wait for the watchdog to finish, so the lock is free on return.
                if [ $# -eq 3 ]; then
                    wait_final "$3"
                    [ -n "$wf_status" ] || wf_status=confirmed
                fi
                emit result confirmed
                exit 0
            fi
            cc_status=$(read_status)
            [ -n "$cc_status" ] || cc_status=missing
            emit result "$cc_status"
            [ "$cc_status" = confirmed ] && exit 0
            say "error: deployment $ID cannot be confirmed: $cc_status"
            exit 1
        }

        cmd_result() {
            [ $# -eq 3 ] || usage "result takes TEMPPATH ID TIMEOUT"
            TEMPPATH=$1 ID=$2
            need_id "$ID"
            need_uint timeout "$3"
            set_paths
            wait_final "$3"
            case $wf_status in
            confirmed)
                emit result confirmed
                exit 0
                ;;
            '')
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
            if [ "$ID" != - ]; then
                [ $# -eq 3 ] || usage "rollback of a pending deployment takes no generation"
                need_id "$ID"
                set_paths
                cr_status=$(read_status)
                if [ -z "$cr_status" ] && [ -f "$DEADLINE_FILE" ]; then
                    : >"$REQUEST_FILE"
                fi
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
                emit result "$wf_status"
                exit 1
            fi
            ID=-
            cr_gen=${4:-}
            trap 'lock_release' EXIT
            trap 'exit 143' TERM
            trap '' PIPE HUP
            lock_take "$PROFILE" || exit $?
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
            emit current "$(resolve "$PROFILE")"
            emit generation "$(generation_of "$PROFILE")"
            set_lock_dir "$PROFILE"
            if read_holder "$LOCK_DIR" && pid_alive "$h_pid" "$h_start"; then
                emit lock "$(holder_text)"
            else
                emit lock none
            fi
            cs_now=$(now)
            for cs_file in "$TEMPPATH"/deploysh-deadline-*; do
                [ -f "$cs_file" ] || continue
                cs_id=${cs_file##*/deploysh-deadline-}
                is_hex "$cs_id" || continue
                [ -e "$TEMPPATH/deploy-rs-canary-$cs_id" ] || continue
                cs_deadline='' cs_profile=''
                { IFS= read -r cs_deadline && IFS= read -r cs_profile; } <"$cs_file" || true
                [ "$cs_profile" = "$PROFILE" ] || continue
                is_uint "$cs_deadline" || continue
                cs_left=$((cs_deadline - cs_now))
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
        DEPLOYSH_LIB_END
        }
        DEPLOYSH_LIB=$(deploysh_lib)
        eval "$DEPLOYSH_LIB"
        deploysh_main "$@"
        """#
}
