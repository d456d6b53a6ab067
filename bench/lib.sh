#!/usr/bin/env bash
# What bench/run.sh and bench/redis-restart.sh share: the report, the app on throwaway servers
# (scripts/servers.sh), accounts signed in through the login form, the seed, and the table of figures.
#
# The caller sets MODE (full, smoke or fault), SERVE (1: stop after seeding and keep everything running),
# the seed sizes SMALL, BIG and SIGNED and QUIET_BUDGET (seconds `quiet` may wait for an idle machine),
# sources this file, then calls bench_prepare.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
BENCH="$ROOT/bench"
STARTED_AT=$SECONDS

# shellcheck source=scripts/servers.sh
source "$ROOT/scripts/servers.sh"

LIST=500
LIST_USER=$((SIGNED + 1))
# bench/seed.sql numbers the list person's conversations from this one on.
LIST_FIRST_CONVERSATION=1001
USERS=$((LIST_USER + LIST))
PAIRS=$((SIGNED / 2))
PASSWORD="Bench-password-1"

RESULTS="$BENCH/results"
mkdir -p "$RESULTS"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chatmvc-bench.XXXXXX")"
REPORT="$RESULTS/$(case "$MODE" in smoke) echo smoke ;; clients) echo clients ;; fault) echo fault ;; files) echo files ;; search) echo search ;; *) echo latest ;; esac).txt"
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
    servers_bin mariadbd >/dev/null || packages+=(mariadb-server)
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
APP2_PID=""
# More NAME=value settings for the app, from a caller that needs them (bench/files.sh: where the file store is).
[ -n "${APP_ENV+set}" ] || APP_ENV=()
SAMPLER_PID=""
SENDER_PID=""

cleanup() {
    servers_stop_one "$SENDER_PID"
    servers_stop_one "$SAMPLER_PID"
    servers_stop_one "$APP_PID"
    servers_stop_one "$APP2_PID"
    servers_stop
    rm -rf "$WORK"
}

sql() { mariadb --no-defaults -h127.0.0.1 -P"$SERVERS_MYSQL_PORT" -uchat -p"$SERVERS_PASSWORD" -N -B "$@"; }

# MariaDB's count of statements received, less the connections closed so far. MariaDB counts a client's goodbye
# (COM_QUIT) as a question, and the app's connection pool closes connections idle for three minutes, so a pooled
# connection closing during a run of idle polls counted as SQL they did not run. Connections opened less those still
# open are those closed. Each call adds its own SHOW (its connection's close is taken off like any other).
questions() {
    sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Connections', 'Threads_connected')" |
        awk '{ value[$1] = $2 } END { print value["Questions"] - value["Connections"] + value["Threads_connected"] }'
}

start_app() {
    sql -e "CREATE DATABASE chatbench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    launch_app "$RESULTS/app.log"
    BASE="$LAUNCHED_BASE"
    APP_PID="$LAUNCHED_PID"
    servers_wait "the app" "$APP_PID" "$RESULTS/app.log" app_healthy || die "the app did not answer /healthz"
}

# start_second_app: another instance on the same database and Redis (as docker-compose scales the app), at BASE2 with
# APP2_PID; the sign-in cookies of the first work there too (the data protection keys are in the database).
start_second_app() {
    launch_app "$RESULTS/app2.log"
    BASE2="$LAUNCHED_BASE"
    APP2_PID="$LAUNCHED_PID"
    servers_wait "the second instance" "$APP2_PID" "$RESULTS/app2.log" app2_healthy || die "the second instance did not answer /healthz"
}

app2_healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE2/healthz")" = 200 ]; }

# launch_app LOG: starts an instance of the app on a free port; sets LAUNCHED_BASE and LAUNCHED_PID.
launch_app() {
    local ports base
    ports="$(servers_free_ports)"
    base="http://127.0.0.1:${ports% *}"
    # exec keeps the PID: the one started is the one stopped. The missed-message mail looks once a day here, so
    # the SQL counted while clients poll is the polls' own (the mail's rounds are a few queries a minute otherwise).
    # The per-person send limit (600 a minute) is lifted: 8 senders at 200/s pass it within 30 s, and the bench
    # measures sending, not the limiter. MALLOC_ARENA_MAX is the Dockerfile's, so the memory measured is the image's.
    (
        cd "$ROOT/ChatMvc"
        exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$base" App__PublicUrl="$base" MALLOC_ARENA_MAX=2 \
            Database__Provider=MySql ConnectionStrings__Chat="$CHATMVC_TEST_MYSQL;Database=chatbench" \
            Redis__Configuration="$CHATMVC_TEST_REDIS" Notifications__EmailIntervalSeconds=86400 \
            Api__RateLimits__PostingPerMinute=1000000 "${APP_ENV[@]}" \
            dotnet "$ROOT/ChatMvc/bin/Release/net10.0/ChatMvc.dll"
    ) >"$1" 2>&1 &
    LAUNCHED_PID=$!
    LAUNCHED_BASE="$base"
}

app_healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ]; }

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

# bench_prepare: builds Release (the app and bench/LoadGen, as LOADGEN), starts the servers and the app,
# registers and seeds, and signs everyone in: COOKIE (user 1), LIST_COOKIE (the person in LIST
# conversations), pollers.tsv and senders.tsv in WORK for bench/LoadGen. With SERVE=1 it keeps all of it
# running until Ctrl-C and never returns.
bench_prepare() {
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    install_missing
    # Each client connection is a descriptor in the app and one in bench/LoadGen. Only root with CAP_SYS_RESOURCE
    # can raise the hard limit, so take the hard limit (`ulimit -n 65536` fails where it is lower) and say what it is.
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    OPEN_FILES="$(ulimit -n)"
    log "open-file limit: $OPEN_FILES (hard limit $(ulimit -Hn))"

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
    local seed_started=$SECONDS u cookie
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
        # The third column names the other person of the pair, whom a send with a mention (@name) names.
        printf '%s\t%s\tBench person %s\n' "$cookie" "$((2 + (u + 1) / 2))" "$((u % 2 == 1 ? u + 1 : u - 1))" >>"$WORK/senders.tsv"
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
}

# --- measuring --------------------------------------------------------------------------------------

# field LINE KEY: a value from a "RESULT key=value ..." line.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }

calc() { python3 -c "import sys; from math import inf; print($1)"; }

# median VALUE...: the median of a figure taken in several rounds; stats UNIT VALUE...: the same with its unit and
# the lowest and highest round in brackets, as the figures are reported.
median() { python3 -c 'import statistics, sys; print(round(statistics.median(float(v) for v in sys.argv[1:]), 2))' "$@"; }
stats() {
    python3 -c 'import statistics, sys
unit, v = sys.argv[1], sorted(float(x) for x in sys.argv[2:])
print(f"{round(statistics.median(v), 2):g}{unit} ({round(v[0], 2):g} to {round(v[-1], 2):g})" if len(v) > 1 else f"{round(v[0], 2):g}{unit} (one round)")' "$@"
}

check_status() {
    # check_status EXPECTED URL [curl args]: one request before a run, so a run never measures an error page.
    local expected="$1" url="$2" status
    shift 2
    status="$(curl -s -o "$WORK/check.html" -w '%{http_code}' "$@" "$url")"
    [ "$status" = "$expected" ] || die "$url answered $status, expected $expected"
}

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

# quiet: before a measured run, wait (within QUIET_BUDGET) for the machine to be idle.
MAX_BUSY=0
quiet() {
    BUSY="$(busy_pct)"
    while [ "$BUSY" -ge 10 ] && [ "$QUIET_BUDGET" -gt 0 ]; do
        QUIET_BUDGET=$((QUIET_BUDGET - 1))
        BUSY="$(busy_pct)"
    done
    [ "$BUSY" -le "$MAX_BUSY" ] || MAX_BUSY="$BUSY"
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
