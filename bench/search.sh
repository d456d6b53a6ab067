#!/usr/bin/env bash
# Message search over 1,000,000 messages, on MariaDB (the app's word index) and on SQLite (FTS5), through the app's
# JSON API: GET /api/v1/search?q=...&limit=20 as a signed-in member, newest first.
#
#   bash bench/search.sh            1,000,000 messages, 5 rounds of 10 s per engine, taken in turns
#   bash bench/search.sh --smoke    20,000 messages, 2 rounds of 2 s (checks that the script works)
#
# Both apps run at once, each on its own engine (MariaDB with Redis, SQLite with the in-process cache), seeded with
# the same messages: words drawn from a 60-word vocabulary (each word in several per cent of the messages, as the
# common words of a team's chat are) and, every 10,000th message, a rare word "incidentN". The queries mix one
# common word, two common words, and a rare word. Each figure is the median of the rounds, with their spread; the
# target is p95 < 100 ms. Prints PASS or FAIL; exits non-zero only when something is broken (failed requests).
set -euo pipefail

MODE=search
SERVE=0
MESSAGES=1000000 ROUNDS=5 RUN_SECONDS=10
for arg in "$@"; do
    case "$arg" in
        --smoke) MESSAGES=20000 ROUNDS=2 RUN_SECONDS=2 ;;
        --serve) SERVE=1 ;;
        *) echo "usage: bash bench/search.sh [--smoke] [--serve]" >&2; exit 64 ;;
    esac
done
SMALL=0 BIG=0 SIGNED=1 QUIET_BUDGET=120

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WORDS=(alpha build deploy release ticket review merge branch server client database cache index query schema
    migration backup restore network proxy latency budget invoice customer meeting agenda lunch coffee design
    sketch mockup button layout colour font screen reader keyboard focus contrast script token session cookie
    upload photo video printer laptop office holiday weekend monday friday morning evening report draft summary)
LITE_PID=""
stop_both() {
    servers_stop_one "$LITE_PID"
    cleanup
}

start_sqlite_app() {
    local ports
    ports="$(servers_free_ports)"
    LITE_BASE="http://127.0.0.1:${ports% *}"
    (
        cd "$ROOT/ChatMvc"
        exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$LITE_BASE" App__PublicUrl="$LITE_BASE" \
            Database__Provider=Sqlite ConnectionStrings__Chat="Data Source=$WORK/search.db" \
            Notifications__EmailIntervalSeconds=86400 \
            dotnet "$ROOT/ChatMvc/bin/Release/net10.0/ChatMvc.dll"
    ) >"$RESULTS/app-sqlite.log" 2>&1 &
    LITE_PID=$!
    servers_wait "the SQLite app" "$LITE_PID" "$RESULTS/app-sqlite.log" \
        sqlite_app_healthy || die "the SQLite app did not answer /healthz"
}

sqlite_app_healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$LITE_BASE/healthz")" = 200 ]; }

# The message of number N, the same on both engines: four words from the vocabulary, and a rare word every 10,000th.
mysql_body() {
    local n=${#WORDS[@]} list
    list="$(printf "'%s'," "${WORDS[@]}")"
    list="${list%,}"
    echo "CONCAT('Message ', seq, ': ', ELT(1 + seq MOD 59, $list), ' ', ELT(1 + (seq DIV 59) MOD 53, $list), ' ',
        ELT(1 + (seq DIV 3127) MOD 47, $list), ' and ', ELT(1 + (seq * 7) MOD 43, $list),
        IF(seq MOD 10000 = 0, CONCAT(' incident', seq DIV 10000), ''))"
    [ "$n" -ge 59 ] || die "the vocabulary needs at least 59 words"
}

seed_mariadb() {
    sql chatbench -e "
        SET unique_checks = 0, foreign_key_checks = 0;
        INSERT INTO conversations (id, kind, title, created_by, created_at, last_activity_at)
            VALUES (1, 'group', 'Search', 1, $START, $NOW);
        INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) VALUES (1, 1, 'owner', $START);
        INSERT INTO messages (id, conversation_id, sender_id, kind, body, created_at)
            SELECT seq, 1, 1, 'text', $(mysql_body), $START + seq * 1000 FROM seq_1_to_$MESSAGES;
        UPDATE conversations SET last_message_id = $MESSAGES WHERE id = 1;
        UPDATE conversation_members SET last_read_message_id = $MESSAGES WHERE conversation_id = 1;"
}

# The seed bypassed the app, as a restore or a bulk load would: the app's migrate step (which every start runs)
# indexes the words of those messages for search, in batches.
index_mariadb() {
    (
        cd "$ROOT/ChatMvc"
        exec env ASPNETCORE_ENVIRONMENT=Production Database__Provider=MySql \
            ConnectionStrings__Chat="$CHATMVC_TEST_MYSQL;Database=chatbench" Redis__Configuration="$CHATMVC_TEST_REDIS" \
            dotnet "$ROOT/ChatMvc/bin/Release/net10.0/ChatMvc.dll" migrate
    ) >"$RESULTS/app-migrate.log" 2>&1 || { tail -n 30 "$RESULTS/app-migrate.log" >&2; die "indexing the seeded messages failed"; }
    [ "$(sql chatbench -e "SELECT COUNT(*) FROM message_words WHERE word = 'deploy'")" -gt 0 ] ||
        die "the migrate step indexed no words"
}

# The same messages through Python's sqlite3, in one transaction; the FTS5 triggers index each insert as the app's do.
seed_sqlite() {
    WORDS_LIST="${WORDS[*]}" python3 - "$WORK/search.db" "$MESSAGES" "$START" "$NOW" <<'PY'
import os, sqlite3, sys
path, count, start, now = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
w = os.environ["WORDS_LIST"].split()
def body(s):
    text = f"Message {s}: {w[s % 59]} {w[(s // 59) % 53]} {w[(s // 3127) % 47]} and {w[(s * 7) % 43]}"
    return text + (f" incident{s // 10000}" if s % 10000 == 0 else "")
db = sqlite3.connect(path, timeout=60)
with db:
    db.execute("INSERT INTO conversations (id, kind, title, created_by, created_at, last_activity_at) VALUES (1, 'group', 'Search', 1, ?, ?)", (start, now))
    db.execute("INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) VALUES (1, 1, 'owner', ?)", (start,))
    db.executemany("INSERT INTO messages (id, conversation_id, sender_id, kind, body, created_at) VALUES (?, 1, 1, 'text', ?, ?)",
                   ((s, body(s), start + s * 1000) for s in range(1, count + 1)))
    db.execute("UPDATE conversations SET last_message_id = ? WHERE id = 1", (count,))
    db.execute("UPDATE conversation_members SET last_read_message_id = ? WHERE conversation_id = 1", (count,))
db.close()
PY
}

trap stop_both EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
install_missing
log "building Release"
dotnet build "$ROOT/ChatMvc/ChatMvc.csproj" -c Release -nologo -v q >"$WORK/build.log" 2>&1 ||
    { tail -n 40 "$WORK/build.log" >&2; die "the app did not build"; }
servers_start 2>"$WORK/servers.log" || { cat "$WORK/servers.log" >&2; die "the servers did not start"; }
start_app
start_sqlite_app
MY_BASE="$BASE"
NOW="$(date +%s)000"
START=$((NOW - MESSAGES * 1000 - 86400000))

# Each app has its own cookie jars: curl would send one app's cookies to the other (cookies ignore ports).
mkdir -p "$WORK/lite"
BASE="$MY_BASE" register_first_user
BASE="$LITE_BASE" WORK="$WORK/lite" register_first_user
log "seeding $MESSAGES messages into MariaDB"
seeded=$SECONDS
seed_mariadb
MY_SEED=$((SECONDS - seeded))
log "indexing the words of $MESSAGES messages on MariaDB (the app's migrate step)"
seeded=$SECONDS
index_mariadb
MY_INDEX=$((SECONDS - seeded))
log "seeding $MESSAGES messages into SQLite"
seeded=$SECONDS
seed_sqlite
LITE_SEED=$((SECONDS - seeded))
MY_COOKIE="$(BASE="$MY_BASE" sign_in bench1@bench.test)"
LITE_COOKIE="$(BASE="$LITE_BASE" WORK="$WORK/lite" sign_in bench1@bench.test)"

# The queries, in turn on every connection: common words, pairs of them, rare words.
QUERIES="$WORK/queries.txt"
{
    for word in deploy meeting cache keyboard invoice report lunch review; do echo "/api/v1/search?q=$word&limit=20"; done
    echo "/api/v1/search?q=deploy%20server&limit=20"
    echo "/api/v1/search?q=coffee%20monday&limit=20"
    echo "/api/v1/search?q=screen%20reader&limit=20"
    echo "/api/v1/search?q=database%20migration&limit=20"
    for ((i = 1; i <= 8; i++)); do echo "/api/v1/search?q=incident$((i * MESSAGES / 80000 + 1))&limit=20"; done
} >"$QUERIES"
for base in "$MY_BASE" "$LITE_BASE"; do
    cookie="$MY_COOKIE"
    [ "$base" = "$LITE_BASE" ] && cookie="$LITE_COOKIE"
    check_status 200 "$base/api/v1/search?q=deploy&limit=20" -H "Cookie: $cookie"
    grep -q '"items":\[{' "$WORK/check.html" || die "searching $base for a common word found nothing"
done

# Each query once on each engine, one at a time: which kind of query costs what.
for base in "$MY_BASE" "$LITE_BASE"; do
    cookie="$MY_COOKIE" engine=MariaDB
    [ "$base" = "$LITE_BASE" ] && cookie="$LITE_COOKIE" engine=SQLite
    while read -r path; do
        log "$engine ${path#/api/v1/search?}: $(curl -s -o /dev/null -w '%{http_code} %{time_total}s' -H "Cookie: $cookie" "$base$path")"
    done <"$QUERIES"
done
if [ "$SERVE" = 1 ]; then
    printf 'export MY_BASE=%q LITE_BASE=%q MY_COOKIE=%q LITE_COOKIE=%q SQLITE_DB=%q\n' \
        "$MY_BASE" "$LITE_BASE" "$MY_COOKIE" "$LITE_COOKIE" "$WORK/search.db" >"$RESULTS/search-serve.env"
    log "serving until Ctrl-C; the session variables are in bench/results/search-serve.env"
    wait "$APP_PID" || true
    exit 0
fi

# search_run NAME BASE COOKIE: one measured run; sets RUN.
search_run() {
    local base="$2" cookie="$3"
    env BENCH_COOKIE="$cookie" BENCH_PATHS="$QUERIES" wrk -t1 -c4 -d1s --timeout 10s -s "$BENCH/wrk/paths.lua" "$base" >/dev/null
    quiet
    RUN="$(env BENCH_COOKIE="$cookie" BENCH_PATHS="$QUERIES" wrk -t1 -c4 -d"${RUN_SECONDS}s" --timeout 10s \
        -s "$BENCH/wrk/paths.lua" "$base" | grep '^RESULT') busy_before=$BUSY%"
    say "  $1: ${RUN#RESULT }"
    [ "$(field "$RUN" errors)" = 0 ] || { log "$1 had errors"; BROKEN=1; }
}

{
    echo "ChatMvc search benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB memory; $(dotnet --version) SDK"
    echo "seed: $MESSAGES messages in one group (MariaDB ${MY_SEED} s and its word index ${MY_INDEX} s, SQLite ${LITE_SEED} s); $(wc -l <"$QUERIES") queries in turn"
    echo "wrk: 1 thread, 4 connections, ${RUN_SECONDS} s per run, $ROUNDS rounds, MariaDB and SQLite in turns"
    echo
    echo "Runs:"
} | tee -a "$REPORT"

BROKEN=0
MY_P95=() LITE_P95=() MY_RUNS=() LITE_RUNS=()
for ((round = 1; round <= ROUNDS; round++)); do
    search_run "MariaDB, round $round" "$MY_BASE" "$MY_COOKIE"
    MY_P95+=("$(field "$RUN" p95_ms)")
    MY_RUNS+=("$RUN")
    search_run "SQLite, round $round" "$LITE_BASE" "$LITE_COOKIE"
    LITE_P95+=("$(field "$RUN" p95_ms)")
    LITE_RUNS+=("$RUN")
done

# median_spread VALUES...: "median (min–max)".
median_spread() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%s (%s to %s)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
median_of() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for engine in MariaDB SQLite; do
    if [ "$engine" = MariaDB ]; then values=("${MY_P95[@]}") runs=("${MY_RUNS[@]}"); else values=("${LITE_P95[@]}") runs=("${LITE_RUNS[@]}"); fi
    median="$(median_of "${values[@]}")"
    run="$(median_run "${runs[@]}")"
    row "search p95, $engine, $MESSAGES messages" "median $(median_spread "${values[@]}") ms over $ROUNDS rounds; the median round: $(field "$run" rps) req/s, p50 $(field "$run" p50_ms) ms, p99 $(field "$run" p99_ms) ms" \
        "p95 < 100 ms" "$(verdict "$median < 100")"
done

print_table | tee -a "$REPORT"
[ "$MAX_BUSY" -lt 20 ] || echo "Warning: other work kept the machine up to $MAX_BUSY % busy just before some runs; run again on a quiet machine." | tee -a "$REPORT"
[ "$BROKEN" = 0 ] || die "some searches failed: see $REPORT"
