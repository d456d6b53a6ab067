#!/usr/bin/env bash
# The fault run of the polling design (docs/performance.md, "Redis restarted under load"):
#
#   bash bench/redis-restart.sh   5,000 clients polling every 3 s (20 s of warm-up, then 120 s measured)
#                                 while Redis is stopped and started again at 60 s; errors and the slowest
#                                 polls inside and outside the restart window, and whether every
#                                 acknowledged send is stored once and polled (about 3 minutes; not part
#                                 of CI). `bash bench/run.sh --redis-restart` runs this too.
#   add --serve                   to stop after seeding and keep everything running for a look by hand
#
# Seeds like the smoke run (bench/lib.sh: Release build, throwaway MariaDB and Redis, the app on
# 127.0.0.1), prints the figures and writes them to bench/results/fault.txt. Exits non-zero when a step
# fails or a target is missed.
set -euo pipefail

MODE=fault
SERVE=0
for arg in "$@"; do
    case "$arg" in
        --serve) SERVE=1 ;;
        *) echo "usage: bash bench/redis-restart.sh [--serve]" >&2; exit 64 ;;
    esac
done

SMALL=10000 BIG=100000 SIGNED=50
FAULT_CLIENTS=5000 FAULT_SECONDS=120 FAULT_WARMUP=20 FAULT_AT=60 FAULT_DOWN=2 FAULT_RECONNECT=5
QUIET_BUDGET=30

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

now_ms() { date +%s%3N; }

# fault_send N PHASE: one message to conversation 1 as user 1 through the form, without htmx (an
# acknowledged send answers 302); appends "N<TAB>phase<TAB>status<TAB>sent at, Unix ms" to sends.tsv.
fault_send() {
    local status at
    at="$(now_ms)"
    status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -b "$WORK/bench1@bench.test.jar" \
        --data-urlencode "__RequestVerificationToken=$FAULT_TOKEN" --data-urlencode "Body=Fault check $FAULT_RUN number $1" \
        --data-urlencode "ClientMessageId=$(python3 -c 'import uuid; print(uuid.uuid4().hex)')" \
        "$BASE/conversations/1/messages" || true)"
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${status:-000}" "$at" >>"$WORK/sends.tsv"
}

fault_run() {
    local start_cursor run loadgen_pid load_started_ms down_ms up_ms n=0 window_end_ms
    FAULT_RUN="$(date +%s)"
    : >"$WORK/sends.tsv"
    check_status 200 "$BASE/conversations/1" -b "$WORK/bench1@bench.test.jar"
    FAULT_TOKEN="$(form_token <"$WORK/check.html")"
    [ -n "$FAULT_TOKEN" ] || die "the chat window has no composer token"
    check_status 204 "$BASE/conversations/2/poll?after=$((SMALL + BIG))&v=0" -H "Cookie: $COOKIE" -H "HX-Request: true"
    start_cursor="$(sql chatbench -e "SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = 1")"

    {
        echo "ChatMvc fault run (Redis restarted under load), $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "machine: $(nproc) cores, $(uname -sr); $(dotnet --version) SDK; Redis $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"
        echo "load: $FAULT_CLIENTS clients polling every 3 s for $FAULT_SECONDS s (after $FAULT_WARMUP s unmeasured, as the app warms up);" \
            "Redis stopped at ${FAULT_AT} s for ${FAULT_DOWN} s; the window counts until ${FAULT_RECONNECT} s after Redis answers again"
        echo
    } | tee -a "$REPORT"

    for ((i = 1; i <= 3; i++)); do n=$((n + 1)); fault_send "$n" before; done

    # The pollers (windows on conversations 1 and 2, half each), the restart from this shell (servers.sh
    # started Redis, so only this shell can wait for it), and a send every 2 s from 15 s before the restart to 15 s after it.
    quiet
    dotnet "$LOADGEN" pollers --base "$BASE" --sessions "$WORK/pollers.tsv" --clients "$FAULT_CLIENTS" \
        --interval 3 --duration "$FAULT_SECONDS" --warmup "$FAULT_WARMUP" --timeline 1 >"$WORK/fault-load.txt" 2>&1 &
    loadgen_pid=$!
    (
        sleep $((FAULT_WARMUP + FAULT_AT - 15))
        for ((i = 1; i <= 15; i++)); do
            fault_send "$((n + i))" during
            sleep 2
        done
    ) &
    SENDER_PID=$!
    sleep $((FAULT_WARMUP + FAULT_AT))
    log "stopping Redis (pid $SERVERS_REDIS_PID) for $FAULT_DOWN s"
    down_ms="$(now_ms)"
    servers_redis_restart "$FAULT_DOWN" 2>>"$WORK/servers.log" || die "Redis did not start again"
    up_ms="$(now_ms)"
    log "Redis is back (pid $SERVERS_REDIS_PID) after $(((up_ms - down_ms) / 1000)) s"
    wait "$SENDER_PID" || true
    SENDER_PID=""
    wait "$loadgen_pid" || { cat "$WORK/fault-load.txt" >&2; die "the pollers did not run"; }
    run="$(grep '^RESULT' "$WORK/fault-load.txt")" || die "the pollers printed no RESULT"
    n="$(wc -l <"$WORK/sends.tsv")"
    for ((i = 1; i <= 3; i++)); do fault_send "$((n + i))" after; done

    # Errors by the second their poll was sent, split at the window [Redis stopped, Redis answering +
    # reconnect]: a poll sent during the outage that times out later is the outage's.
    load_started_ms="$(field "$run" started_ms)"
    window_end_ms=$((up_ms + FAULT_RECONNECT * 1000))
    local from=$(((down_ms - load_started_ms) / 1000)) to=$(((window_end_ms - load_started_ms) / 1000))
    local inside=0 outside=0 entry second count
    for entry in $(field "$run" errors_by_second | tr ',' ' '); do
        [ "$entry" = none ] && continue
        second="${entry%%:*}" count="${entry#*:}"
        if [ "$second" -ge "$from" ] && [ "$second" -le "$to" ]; then inside=$((inside + count)); else outside=$((outside + count)); fi
    done
    # The slowest poll sent in each second (LoadGen lists the seconds whose slowest took over 1 s), split the same way.
    local slow_inside=0 slow_outside=0 slow_outside_at=none ms
    for entry in $(field "$run" slowest_by_second | tr ',' ' '); do
        [ "$entry" = none ] && continue
        second="${entry%%:*}" ms="${entry#*:}"
        if [ "$second" -ge "$from" ] && [ "$second" -le "$to" ]; then
            [ "$ms" -le "$slow_inside" ] || slow_inside="$ms"
        else
            [ "$ms" -le "$slow_outside" ] || slow_outside="$ms"
            slow_outside_at="$([ "$slow_outside_at" = none ] && echo "$second" || echo "$slow_outside_at,$second")"
        fi
    done
    say "  $FAULT_CLIENTS clients every 3 s, Redis restarted: ${run#RESULT }"
    say "  Redis down at ${from} s, answering again at $(((up_ms - load_started_ms) / 1000)) s; window ${from}-${to} s of the load"

    # Nothing lost: every acknowledged send stored once, and a poll from the cursor before the first send
    # returns each of them.
    local acked=0 unacked=0 stored_once=0 polled=0 unacked_stored=0 phase status at rows
    curl -s -o "$WORK/poll.html" -H "Cookie: $COOKIE" -H "HX-Request: true" \
        "$BASE/conversations/1/poll?after=$start_cursor&v=0" || true
    while IFS=$'\t' read -r i phase status at; do
        rows="$(sql chatbench -e "SELECT COUNT(*) FROM messages WHERE conversation_id = 1 AND id > $start_cursor AND body = 'Fault check $FAULT_RUN number $i'")"
        if [ "$status" = 302 ]; then
            acked=$((acked + 1))
            [ "$rows" = 1 ] && stored_once=$((stored_once + 1))
            grep -qE "Fault check $FAULT_RUN number $i([^0-9]|$)" "$WORK/poll.html" && polled=$((polled + 1))
        else
            unacked=$((unacked + 1))
            [ "$rows" = 0 ] || unacked_stored=$((unacked_stored + 1))
            say "  send $i ($phase, at $(((at - load_started_ms) / 1000)) s of the load) answered $status; stored $rows times"
        fi
    done <"$WORK/sends.tsv"
    say "  sends: $acked acknowledged (302), $unacked not; $stored_once stored exactly once; $polled returned by one poll from the start cursor"

    row "errors outside the restart window" "$outside of $(field "$run" errors) errors ($(field "$run" requests) polls, p99 $(field "$run" p99_ms) ms)" "0" "$(verdict "$outside == 0")"
    row "errors inside the restart window" "$inside (Redis down $(((up_ms - down_ms) / 100))00 ms + ${FAULT_RECONNECT} s)" "reported, no target" info
    row "slowest poll inside the restart window" "$([ "$slow_inside" = 0 ] && echo "under 1 s" || echo "$slow_inside ms")" "reported, no target" info
    row "slowest poll outside the window" "$([ "$slow_outside" = 0 ] && echo "under 1 s" || echo "$slow_outside ms (over 1 s in seconds $slow_outside_at of the load)")" "reported, no target" info
    row "acknowledged sends stored exactly once" "$stored_once of $acked" "all ($acked)" "$(verdict "$acked > 0 and $stored_once == $acked")"
    row "acknowledged sends in a poll from start" "$polled of $acked" "all ($acked)" "$(verdict "$acked > 0 and $polled == $acked")"
    row "sends not acknowledged" "$unacked ($unacked_stored of them stored anyway)" "reported, no target" info
    print_table | tee -a "$REPORT"
    [ "$MET" = "$TARGETS" ] || die "the fault run missed a target: see $REPORT"
}

bench_prepare
fault_run
