#!/usr/bin/env bash
# The benchmarks of the polling design (docs/performance.md says what they show).
#
#   bash bench/run.sh           the full run: 10,000- and 1,000,000-message conversations, 5 s wrk runs,
#                               1,000 and 5,000 simulated clients (about 5 minutes here, up to 10 when it
#                               waits for other work on the machine to stop)
#   bash bench/run.sh --smoke   the CI smoke: small seed, 2 s runs, 1,000 clients (about 2 minutes)
#   bash bench/run.sh --redis-restart
#                               the fault run: 5,000 clients polling every 3 s (20 s of warm-up, then
#                               120 s measured) while Redis is stopped and started again at 60 s; errors
#                               and the slowest polls inside and outside the restart window, and whether
#                               every acknowledged send is stored once and polled (about 3 minutes; not
#                               part of CI)
#   add --serve                 to stop after seeding and keep everything running for a look by hand
#
# Builds Release, starts throwaway MariaDB and Redis (scripts/servers.sh) and the app configured for
# them on 127.0.0.1, seeds with SQL, signs in through the login form and measures with wrk and
# bench/LoadGen. Prints every figure beside its target and writes them to bench/results/ (git-ignored).
# Exits non-zero when something is broken (a step fails, requests fail, an idle poll runs SQL), not
# when a speed target is missed: that is reported as FAIL.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
BENCH="$ROOT/bench"
STARTED_AT=$SECONDS

MODE=full
SERVE=0
for arg in "$@"; do
    case "$arg" in
        --smoke) MODE=smoke ;;
        --serve) SERVE=1 ;;
        --redis-restart) MODE=fault ;;
        *) echo "usage: bash bench/run.sh [--smoke | --redis-restart] [--serve]" >&2; exit 64 ;;
    esac
done

if [ "$MODE" = fault ]; then
    SMALL=10000 BIG=100000 SIGNED=50
    FAULT_CLIENTS=5000 FAULT_SECONDS=120 FAULT_WARMUP=20 FAULT_AT=60 FAULT_DOWN=2 FAULT_RECONNECT=5
elif [ "$MODE" = smoke ]; then
    SMALL=10000 BIG=100000 SIGNED=8 WRK_SECONDS=2 WARM_SECONDS=1 ROUNDS=1
    CLIENT_RUNS=(1000) CLIENT_SECONDS=3 SEND_SECONDS=3 SEND_MAX_SECONDS=3 PHOTO_RUNS=2
else
    SMALL=10000 BIG=1000000 SIGNED=50 WRK_SECONDS=5 WARM_SECONDS=2 ROUNDS=3
    CLIENT_RUNS=(1000 5000) CLIENT_SECONDS=30 SEND_SECONDS=20 SEND_MAX_SECONDS=10 PHOTO_RUNS=10
fi
LIST=500
LIST_USER=$((SIGNED + 1))
USERS=$((LIST_USER + LIST))
PAIRS=$((SIGNED / 2))
PASSWORD="Bench-password-1"
WRK_THREADS=2
WRK_CONNECTIONS=64
SEND_RATE=200
SEND_CONCURRENCY=32

RESULTS="$BENCH/results"
mkdir -p "$RESULTS"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chatmvc-bench.XXXXXX")"
REPORT="$RESULTS/$(case "$MODE" in smoke) echo smoke ;; fault) echo fault ;; *) echo latest ;; esac).txt"
: >"$REPORT"

log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
say() { echo "$*" | tee -a "$REPORT"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "'$*' needs root"; fi
}

install_missing() {
    local packages=()
    command -v wrk >/dev/null 2>&1 || packages+=(wrk)
    [ -e /usr/lib/x86_64-linux-gnu/libvips.so.42 ] || packages+=(libvips42)
    command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
    { command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; } || packages+=(mariadb-server)
    command -v python3 >/dev/null 2>&1 || packages+=(python3)
    command -v curl >/dev/null 2>&1 || packages+=(curl)
    if [ "${#packages[@]}" -gt 0 ]; then
        log "installing ${packages[*]}"
        as_root apt-get update >/dev/null
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}" >/dev/null
    fi
}

# --- servers and the app ----------------------------------------------------------------------------

APP_PID=""
SAMPLER_PID=""
SENDER_PID=""

stop_pid() {
    local pid="$1" i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null || true
    { wait "$pid"; } 2>/dev/null || true
}

cleanup() {
    stop_pid "$SENDER_PID"
    stop_pid "$SAMPLER_PID"
    stop_pid "$APP_PID"
    servers_stop
    rm -rf "$WORK"
}

sql() { mariadb --no-defaults -h127.0.0.1 -P"$SERVERS_MYSQL_PORT" -uchat -p"$SERVERS_PASSWORD" -N -B "$@"; }

# MariaDB's count of statements received; each call adds one (its own SHOW).
questions() { sql -e "SHOW GLOBAL STATUS LIKE 'Questions'" | cut -f2; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_app() {
    local port
    port="$(free_port)"
    BASE="http://127.0.0.1:$port"
    sql -e "CREATE DATABASE chatbench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    # exec keeps the PID: the one started is the one stopped.
    (
        cd "$ROOT/ChatMvc"
        exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$BASE" \
            Database__Provider=MySql ConnectionStrings__Chat="$CHATMVC_TEST_MYSQL;Database=chatbench" \
            Redis__Configuration="$CHATMVC_TEST_REDIS" \
            dotnet "$ROOT/ChatMvc/bin/Release/net10.0/ChatMvc.dll"
    ) >"$RESULTS/app.log" 2>&1 &
    APP_PID=$!
    local i
    for ((i = 0; i < 120; i++)); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz" || true)" = 200 ] && return 0
        kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$RESULTS/app.log" >&2; die "the app exited during startup"; }
        sleep 0.5
    done
    tail -n 30 "$RESULTS/app.log" >&2
    die "the app did not answer /healthz within 60 s"
}

rss_kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$APP_PID/status"; }

# --- accounts and data ------------------------------------------------------------------------------

# Reads all its input (no early exit like head's), so curl never dies of SIGPIPE under pipefail.
form_token() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed -n '1{s/.*value="//; s/"$//; p}'; }

# Cookie header from a curl cookie jar (HttpOnly cookies are the lines starting #HttpOnly_).
jar_cookie() { awk -F'\t' 'NF == 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$1"; }

register_first_user() {
    local jar="$WORK/register.jar" token status
    token="$(curl -sS -c "$jar" -b "$jar" "$BASE/Identity/Account/Register" | form_token)"
    status="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
        --data-urlencode "Input.Email=bench1@bench.test" --data-urlencode "Input.DisplayName=Bench person 1" \
        --data-urlencode "Input.Password=$PASSWORD" --data-urlencode "Input.ConfirmPassword=$PASSWORD" \
        --data-urlencode "__RequestVerificationToken=$token" "$BASE/Identity/Account/Register")"
    [ "$status" = 302 ] || die "registering through the form answered $status, not 302"
}

# sign_in EMAIL: signs in through the login form and prints the session's Cookie header.
sign_in() {
    local jar="$WORK/$1.jar" token status
    token="$(curl -sS -c "$jar" -b "$jar" "$BASE/Identity/Account/Login" | form_token)"
    status="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
        --data-urlencode "Input.Email=$1" --data-urlencode "Input.Password=$PASSWORD" \
        --data-urlencode "__RequestVerificationToken=$token" "$BASE/Identity/Account/Login")"
    [ "$status" = 302 ] || die "signing in $1 answered $status, not 302"
    jar_cookie "$jar"
}

seed() {
    local hash now
    hash="$(sql chatbench -e "SELECT password_hash FROM users WHERE id = 1")"
    [ -n "$hash" ] || die "the registered user is not user 1"
    now="$(date +%s)000"
    sed -e "s|@@HASH@@|$hash|g" -e "s|@@SMALL@@|$SMALL|g" -e "s|@@BIG@@|$BIG|g" -e "s|@@SIGNED@@|$SIGNED|g" \
        -e "s|@@PAIRS@@|$PAIRS|g" -e "s|@@LIST@@|$LIST|g" -e "s|@@LIST_USER@@|$LIST_USER|g" \
        -e "s|@@USERS@@|$USERS|g" -e "s|@@NOW@@|$now|g" -e "s|@@START@@|$((${now%000} * 1000 - BIG * 1000 - 86400000))|g" \
        "$BENCH/seed.sql" | sql chatbench >/dev/null
}

# --- measuring --------------------------------------------------------------------------------------

# field LINE KEY: a value from a "RESULT key=value ..." line.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }

calc() { python3 -c "import sys; print($1)"; }

check_status() {
    # check_status EXPECTED URL [curl args]: one request before a run, so a run never measures an error page.
    local expected="$1" url="$2" status
    shift 2
    status="$(curl -s -o "$WORK/check.html" -w '%{http_code}' "$@" "$url")"
    [ "$status" = "$expected" ] || die "$url answered $status, expected $expected"
}

BROKEN=0

# busy_pct: how busy the whole machine was over one second, in percent (the app is idle between runs, so
# this is someone else's load: other builds or tests on a shared machine skew every figure).
busy_pct() {
    local a b i idle total=0
    read -ra a </proc/stat
    sleep 1
    read -ra b </proc/stat
    idle=$(((b[4] + b[5]) - (a[4] + a[5])))
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    echo $((100 * (total - idle) / (total > 0 ? total : 1)))
}

# quiet: before a measured run, wait (full run only, within a budget) for the machine to be idle.
QUIET_BUDGET=$(case "$MODE" in smoke) echo 0 ;; fault) echo 30 ;; *) echo 240 ;; esac)
MAX_BUSY=0
quiet() {
    BUSY="$(busy_pct)"
    while [ "$BUSY" -ge 10 ] && [ "$QUIET_BUDGET" -gt 0 ]; do
        QUIET_BUDGET=$((QUIET_BUDGET - 1))
        BUSY="$(busy_pct)"
    done
    [ "$BUSY" -le "$MAX_BUSY" ] || MAX_BUSY="$BUSY"
}

app_cpu() { awk '{ print $14 + $15 }' "/proc/$APP_PID/stat"; }

# wrk_run NAME PATH [ENV=VALUE ...]: a warm-up, then the measured run (CONNECTIONS=N to change the
# connection count); sets RUN (the RESULT line plus sql=,
# the statements MariaDB received during the run less the counter's own, and cpu_us=, the app's CPU time
# per request).
wrk_run() {
    local name="$1" path="$2" before after cpu_before cpu_after requests
    shift 2
    env "$@" BENCH_PATH="$path" wrk -t"$WRK_THREADS" -c"${CONNECTIONS:-$WRK_CONNECTIONS}" -d"${WARM_SECONDS}s" \
        --timeout 10s -s "$BENCH/wrk/report.lua" "$BASE" >/dev/null
    quiet
    before="$(questions)"
    cpu_before="$(app_cpu)"
    RUN="$(env "$@" BENCH_PATH="$path" wrk -t"$WRK_THREADS" -c"${CONNECTIONS:-$WRK_CONNECTIONS}" -d"${WRK_SECONDS}s" \
        --timeout 10s -s "$BENCH/wrk/report.lua" "$BASE" | grep '^RESULT')"
    cpu_after="$(app_cpu)"
    after="$(questions)"
    requests="$(field "$RUN" requests)"
    RUN="$RUN sql=$((after - before - QUESTIONS_OVERHEAD)) cpu_us=$(((cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1))) busy_before=$BUSY%"
    say "  $name: ${RUN#RESULT }"
    if [ "$(field "$RUN" errors)" != 0 ]; then
        log "$name had errors"
        BROKEN=1
    fi
}

# median_run LINE...: the line with the median rps.
median_run() {
    printf '%s\n' "$@" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^rps=/) print substr($i, 5) "\t" $0 }' |
        sort -n | awk -v n="$#" 'NR == int((n + 1) / 2) { sub(/^[^\t]*\t/, ""); print }'
}

ROWS=()
MET=0
TARGETS=0
# row FIGURE MEASURED TARGET VERDICT (PASS, FAIL or info)
row() {
    ROWS+=("$1|$2|$3|$4")
    if [ "$4" != info ]; then
        TARGETS=$((TARGETS + 1))
        [ "$4" = PASS ] && MET=$((MET + 1))
    fi
    return 0
}
verdict() { if [ "$(calc "1 if $1 else 0")" = 1 ]; then echo PASS; else echo FAIL; fi; }

# The photo figure: bench/ImageBench (issue 5's benchmark of the app's own ImageProcessor) on a synthetic
# 12-megapixel JPEG; its lines are parsed here.
photo_bench() {
    dotnet build "$BENCH/ImageBench/ImageBench.csproj" -c Release -nologo -v q >"$WORK/build.log" 2>&1 ||
        { tail -n 40 "$WORK/build.log" >&2; die "bench/ImageBench did not build"; }
    dotnet "$BENCH/ImageBench/bin/Release/net10.0/ImageBench.dll" "$PHOTO_RUNS" | tee "$WORK/photo.txt" | sed 's/^/  photo: /' | tee -a "$REPORT"
    PHOTO_MS="$(sed -n 's/.*one at a time.* median \([0-9.]*\) ms.*/\1/p' "$WORK/photo.txt")"
    PHOTO_BURST_MS="$(sed -n 's/^burst.*: \([0-9.]*\) ms per photo.*/\1/p' "$WORK/photo.txt")"
    PHOTO_PEAK_MB="$(sed -n 's/.*(VmHWM): \([0-9.]*\) MB one at a time.*/\1/p' "$WORK/photo.txt")"
    [ -n "$PHOTO_MS" ] && [ -n "$PHOTO_PEAK_MB" ] || die "could not read bench/ImageBench's output"
}

print_table() {
    echo
    printf '| %-40s | %-100s | %-32s | %-6s |\n' "figure" "measured" "target" "result"
    printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..42})" "$(printf -- '-%.0s' {1..102})" "$(printf -- '-%.0s' {1..34})" "$(printf -- '-%.0s' {1..8})"
    for r in "${ROWS[@]}"; do
        IFS='|' read -r figure measured target result <<<"$r"
        printf '| %-40s | %-100s | %-32s | %-6s |\n' "$figure" "$measured" "$target" "$result"
    done
    echo
    echo "$MET of $TARGETS targets met; the $MODE run took $((SECONDS - STARTED_AT)) s."
}

# --- the fault run (--redis-restart) ----------------------------------------------------------------

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

# --- the run ----------------------------------------------------------------------------------------

# shellcheck source=scripts/servers.sh
source "$ROOT/scripts/servers.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

install_missing
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

log "building Release"
dotnet build "$ROOT/ChatMvc/ChatMvc.csproj" -c Release -nologo -v q >"$WORK/build.log" 2>&1 ||
    { tail -n 40 "$WORK/build.log" >&2; die "the app did not build"; }
dotnet build "$BENCH/LoadGen/LoadGen.csproj" -c Release -nologo -v q >"$WORK/build.log" 2>&1 ||
    { tail -n 40 "$WORK/build.log" >&2; die "the load generator did not build"; }
LOADGEN="$BENCH/LoadGen/bin/Release/net10.0/LoadGen.dll"

servers_start 2>"$WORK/servers.log" || { cat "$WORK/servers.log" >&2; die "the servers did not start"; }

start_app
register_first_user
log "seeding: $USERS users, $SMALL and $BIG messages, one person in $LIST conversations"
seed_started=$SECONDS
seed
SEED_SECONDS=$((SECONDS - seed_started))

log "signing in $SIGNED people and the list person through the login form"
: >"$WORK/pollers.tsv"
: >"$WORK/senders.tsv"
for ((u = 1; u <= SIGNED; u++)); do
    cookie="$(sign_in "bench$u@bench.test")"
    [ "$u" = 1 ] && COOKIE="$cookie"
    printf '%s\t/conversations/1/poll?after=%s&v=0\n' "$cookie" "$SMALL" >>"$WORK/pollers.tsv"
    printf '%s\t/conversations/2/poll?after=%s&v=0\n' "$cookie" "$((SMALL + BIG))" >>"$WORK/pollers.tsv"
    printf '%s\t%s\n' "$cookie" "$((2 + (u + 1) / 2))" >>"$WORK/senders.tsv"
done
LIST_COOKIE="$(sign_in "bench$LIST_USER@bench.test")"

if [ "$SERVE" = 1 ]; then
    printf 'export BASE=%q COOKIE=%q LIST_COOKIE=%q MYSQL_PORT=%q MYSQL_PASSWORD=%q APP_PID=%q\n' \
        "$BASE" "$COOKIE" "$LIST_COOKIE" "$SERVERS_MYSQL_PORT" "$SERVERS_PASSWORD" "$APP_PID" >"$RESULTS/serve.env"
    cp "$WORK/pollers.tsv" "$WORK/senders.tsv" "$RESULTS/"
    log "serving at $BASE until Ctrl-C; the session variables are in bench/results/serve.env"
    wait "$APP_PID" || true
    exit 0
fi

if [ "$MODE" = fault ]; then
    fault_run
    exit 0
fi

q1="$(questions)"
q2="$(questions)"
QUESTIONS_OVERHEAD=$((q2 - q1))
RSS_REST_KB="$(rss_kb VmRSS)"

{
    echo "ChatMvc benchmarks ($MODE run), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB memory, $(uname -sr); $(dotnet --version) SDK; $(mariadbd --version 2>/dev/null | awk '{ print $3 }' || true)"
    echo "seed: $USERS users; conversation 1 with $SMALL messages, conversation 2 with $BIG; user $LIST_USER in $LIST conversations (${SEED_SECONDS} s)"
    echo "wrk: $WRK_THREADS threads, $WRK_CONNECTIONS connections, ${WRK_SECONDS} s after a ${WARM_SECONDS} s warm-up;" \
        "a, b and c take the median of $ROUNDS rounds run in turns; busy_before is the machine's load just before a run"
    echo
    echo "Runs:"
} | tee -a "$REPORT"

poll_path="/conversations/1/poll?after=$SMALL&v=0"
check_status 204 "$BASE/bench/bare"
check_status 204 "$BASE/bench/auth" -H "Cookie: $COOKIE"
check_status 204 "$BASE$poll_path" -H "Cookie: $COOKIE" -H "HX-Request: true"
check_status 200 "$BASE/conversations/1" -H "Cookie: $COOKIE"
[ "$(grep -c 'class="message"' "$WORK/check.html")" = 40 ] || die "the chat window does not show 40 messages"
check_status 200 "$BASE/conversations/1/messages?before=5000" -H "Cookie: $COOKIE" -H "HX-Request: true"
check_status 200 "$BASE/conversations" -H "Cookie: $LIST_COOKIE"
[ "$(grep -c 'class="conversation-row' "$WORK/check.html")" = "$LIST" ] || die "the list does not show $LIST conversations"

# a and b. The bare endpoint, the idle poll and the chat window, taken in turns so that a burst of someone
# else's load hits all three alike; each figure is the median of its rounds.
BARES=() AUTHS=() POLLS=() WINDOWS=()
POLL_SQL=0
for ((round = 1; round <= ROUNDS; round++)); do
    wrk_run "bare endpoint, round $round" /bench/bare
    BARES+=("$RUN")
    wrk_run "signed-in no-op, round $round" /bench/auth BENCH_COOKIE="$COOKIE" BENCH_HTMX=1
    AUTHS+=("$RUN")
    wrk_run "idle poll, round $round" "$poll_path" BENCH_COOKIE="$COOKIE" BENCH_HTMX=1
    POLLS+=("$RUN")
    POLL_SQL=$((POLL_SQL + $(field "$RUN" sql)))
    wrk_run "chat window, round $round" /conversations/1 BENCH_COOKIE="$COOKIE"
    WINDOWS+=("$RUN")
done
BARE="$(median_run "${BARES[@]}")"
AUTH="$(median_run "${AUTHS[@]}")"
POLL="$(median_run "${POLLS[@]}")"
WINDOW="$(median_run "${WINDOWS[@]}")"
poll_requests=0
for run in "${POLLS[@]}"; do poll_requests=$((poll_requests + $(field "$run" requests))); done
[ "$POLL_SQL" = 0 ] || BROKEN=1
bare_rps="$(field "$BARE" rps)"
poll_rps="$(field "$POLL" rps)"
poll_ratio="$(calc "round(100 * $poll_rps / $bare_rps, 1)")"
window_ratio="$(calc "round(100 * $(field "$WINDOW" rps) / $bare_rps, 1)")"
row "a. bare endpoint" "$bare_rps req/s, p50 $(field "$BARE" p50_ms) ms, p99 $(field "$BARE" p99_ms) ms, app CPU $(field "$BARE" cpu_us) us" "the ceiling" info
row "a. signed-in no-op (/bench/auth)" "$(field "$AUTH" rps) req/s, $(calc "round(100 * $(field "$AUTH" rps) / $bare_rps, 1)") % of bare, app CPU $(field "$AUTH" cpu_us) us" "the floor of a signed-in request" info
row "a. idle poll" "$poll_rps req/s, p50 $(field "$POLL" p50_ms) ms, p99 $(field "$POLL" p99_ms) ms, app CPU $(field "$POLL" cpu_us) us" "" info
row "a. idle poll / bare" "$poll_ratio %" ">= 50 %" "$(verdict "$poll_ratio >= 50")"
row "a. SQL during the idle-poll runs" "$POLL_SQL statements in $poll_requests polls" "0" "$(verdict "$POLL_SQL == 0")"
row "b. chat window (40 messages)" "$(field "$WINDOW" rps) req/s, p99 $(field "$WINDOW" p99_ms) ms, $(calc "round($(field "$WINDOW" sql) / max(1, $(field "$WINDOW" requests)), 1)") SQL and $(field "$WINDOW" cpu_us) us app CPU per page" "" info
row "b. chat window / bare" "$window_ratio %" ">= 25 %" "$(verdict "$window_ratio >= 25")"

# c. Older history, pages spread over the whole conversation, small against big, in turns.
SMALLS=() BIGS=()
for ((round = 1; round <= ROUNDS; round++)); do
    wrk_run "history, $SMALL messages, round $round" "/conversations/1/messages?before={before}" \
        BENCH_COOKIE="$COOKIE" BENCH_HTMX=1 BENCH_BEFORE_MIN=41 BENCH_BEFORE_MAX="$SMALL"
    SMALLS+=("$RUN")
    wrk_run "history, $BIG messages, round $round" "/conversations/2/messages?before={before}" \
        BENCH_COOKIE="$COOKIE" BENCH_HTMX=1 BENCH_BEFORE_MIN=$((SMALL + 41)) BENCH_BEFORE_MAX=$((SMALL + BIG))
    BIGS+=("$RUN")
done
HIST_SMALL="$(median_run "${SMALLS[@]}")"
HIST_BIG="$(median_run "${BIGS[@]}")"
history_ratio="$(calc "round($(field "$HIST_SMALL" rps) / $(field "$HIST_BIG" rps), 2)")"
row "c. history page, $SMALL messages" "$(field "$HIST_SMALL" rps) req/s, p50 $(field "$HIST_SMALL" p50_ms) ms" "" info
row "c. history page, $BIG messages" "$(field "$HIST_BIG" rps) req/s, p50 $(field "$HIST_BIG" p50_ms) ms" "" info
row "c. time per page, $BIG / $SMALL" "$history_ratio" "<= 1.3" "$(verdict "$history_ratio <= 1.3")"

# e. The conversation list of a person in 500 conversations: a 500-row page, so 8 connections rather than
# 64 (at 64 the queue alone is a second long).
CONNECTIONS=8 wrk_run "conversation list ($LIST), 8 connections" /conversations BENCH_COOKIE="$LIST_COOKIE"
LISTRUN="$RUN"
row "e. conversation list, $LIST conversations" "$(field "$LISTRUN" rps) req/s, p50 $(field "$LISTRUN" p50_ms) ms, p99 $(field "$LISTRUN" p99_ms) ms, $(field "$LISTRUN" cpu_us) us app CPU per page (8 connections)" "none in issue 8" info

# f. Many open windows, each polling every 3 s on its own connection. One poll per conversation first, so
# the run measures a warm cache (a cold one is rebuilt by every poll that misses it at once).
check_status 204 "$BASE/conversations/2/poll?after=$((SMALL + BIG))&v=0" -H "Cookie: $COOKIE" -H "HX-Request: true"
RSS_LOAD_KB=0
for clients in "${CLIENT_RUNS[@]}"; do
    (while kill -0 "$APP_PID" 2>/dev/null; do rss_kb VmRSS; sleep 0.5; done) >"$WORK/rss.txt" &
    SAMPLER_PID=$!
    quiet
    before="$(questions)"
    RUN="$(dotnet "$LOADGEN" pollers --base "$BASE" --sessions "$WORK/pollers.tsv" --clients "$clients" \
        --interval 3 --duration "$CLIENT_SECONDS" | grep '^RESULT')" || die "the pollers did not run"
    after="$(questions)"
    stop_pid "$SAMPLER_PID"
    SAMPLER_PID=""
    sampled="$(sort -n "$WORK/rss.txt" | tail -n 1)"
    [ "${sampled:-0}" -gt "$RSS_LOAD_KB" ] && RSS_LOAD_KB="$sampled"
    sql_count=$((after - before - QUESTIONS_OVERHEAD))
    say "  $clients clients every 3 s: ${RUN#RESULT } sql=$sql_count busy_before=$BUSY%"
    errors="$(field "$RUN" errors)"
    [ "$errors" = 0 ] && [ "$sql_count" = 0 ] || BROKEN=1
    row "f. $clients clients polling every 3 s" "p50 $(field "$RUN" p50_ms) ms, p99 $(field "$RUN" p99_ms) ms, $errors errors, $(field "$RUN" requests) polls, $sql_count SQL" \
        "p99 < 50 ms, 0 errors" "$(verdict "$(field "$RUN" p99_ms) < 50 and $errors == 0")"
done
[ "$MODE" = smoke ] && row "f. 5000 clients polling every 3 s" "not run in the smoke" "p99 < 50 ms, 0 errors" info

# d. Sending: a fixed 200 a second, then as fast as it goes.
quiet
RUN="$(dotnet "$LOADGEN" send --base "$BASE" --sessions "$WORK/senders.tsv" --rate "$SEND_RATE" \
    --duration "$SEND_SECONDS" | grep '^RESULT')" || die "the fixed-rate sends did not run"
SEND="$RUN"
say "  sends at $SEND_RATE/s: ${SEND#RESULT } busy_before=$BUSY%"
RUN="$(dotnet "$LOADGEN" send-max --base "$BASE" --sessions "$WORK/senders.tsv" --concurrency "$SEND_CONCURRENCY" \
    --duration "$SEND_MAX_SECONDS" | grep '^RESULT')" || die "the maximum-rate sends did not run"
SENDMAX="$RUN"
say "  sends, $SEND_CONCURRENCY at once: ${SENDMAX#RESULT }"
[ "$(field "$SEND" errors)" = 0 ] && [ "$(field "$SENDMAX" errors)" = 0 ] || BROKEN=1
row "d. send at $SEND_RATE/s" "p50 $(field "$SEND" p50_ms) ms, p99 $(field "$SEND" p99_ms) ms, $(field "$SEND" errors) errors" \
    "p99 < 50 ms" "$(verdict "$(field "$SEND" p99_ms) < 50 and $(field "$SEND" errors) == 0")"
row "d. maximum send rate" "$(field "$SENDMAX" rps) sends/s, p99 $(field "$SENDMAX" p99_ms) ms ($SEND_CONCURRENCY at once)" "none in issue 8" info

# g. A 12-megapixel photo, and the app's memory.
photo_bench
row "g. 12 MP photo, both variants" "median $PHOTO_MS ms one at a time (${PHOTO_BURST_MS:-?} ms each in a burst), peak $PHOTO_PEAK_MB MB" "none in issue 8" info
RSS_PEAK_KB="$(rss_kb VmHWM)"
row "g. app memory" "$((RSS_REST_KB / 1024)) MB at rest, $((RSS_LOAD_KB / 1024)) MB with the most clients, peak $((RSS_PEAK_KB / 1024)) MB" "none in issue 8" info

{
    print_table
    if [ "$MAX_BUSY" -ge 20 ]; then
        echo "Warning: other work kept the machine up to $MAX_BUSY % busy just before some runs (busy_before above);" \
            "their figures are low. Run again on a quiet machine."
    fi
} | tee -a "$REPORT"

if [ "$BROKEN" != 0 ]; then
    die "something is broken (failed requests or SQL during polls): see $REPORT"
fi
