#!/usr/bin/env bash
# The benchmarks of the polling design (docs/performance.md says what they show).
#
#   bash bench/run.sh           the full run: 10,000- and 1,000,000-message conversations, 5 s wrk runs and
#                               sends in 5 rounds taken in turns, 1,000 and 5,000 simulated clients, then the
#                               many-clients rows in 3 rounds (about 20 minutes quiet, 30 when it waits for other work)
#   bash bench/run.sh --smoke   the CI smoke: small seed, 2 s runs, 1,000 clients (about 2 minutes)
#   bash bench/run.sh --clients the many-clients rows alone (small seed): 20,000 clients polling every 3 s and a
#                               connection flood past the app's limit, 5 rounds in turns (about 10 minutes quiet)
#   bash bench/run.sh --redis-restart
#                               the fault run, bench/redis-restart.sh (not part of CI)
#   add --rounds N              to take a to e in N rounds instead (the smoke in 5 rounds: about 6 minutes quiet)
#   add --serve                 to stop after seeding and keep everything running for a look by hand
#
# Builds Release, starts throwaway MariaDB and Redis (scripts/servers.sh) and the app configured for
# them on 127.0.0.1, seeds with SQL, signs in through the login form (bench/lib.sh) and measures with wrk
# and bench/LoadGen. Prints every figure beside its target and writes them to bench/results/ (git-ignored).
# Exits non-zero when something is broken (a step fails, requests fail, an idle poll runs SQL), not
# when a speed target is missed: that is reported as FAIL.
set -euo pipefail

MODE=full
SERVE=0
ROUNDS_WANTED=""
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) MODE=smoke ;;
        --serve) SERVE=1 ;;
        --redis-restart) MODE=fault ;;
        --clients) MODE=clients ;;
        --rounds) ROUNDS_WANTED="${2:-none}"; [ $# -lt 2 ] || shift ;;
        *) echo "usage: bash bench/run.sh [--smoke | --clients | --redis-restart] [--rounds N] [--serve]" >&2; exit 64 ;;
    esac
    shift
done
case "$ROUNDS_WANTED" in '' | [1-9] | [1-9][0-9]) ;; *) echo "bench: --rounds takes a number of rounds from 1 to 99" >&2; exit 64 ;; esac

if [ "$MODE" = fault ]; then
    if [ "$SERVE" = 1 ]; then set -- --serve; else set --; fi
    exec bash "$(dirname "${BASH_SOURCE[0]}")/redis-restart.sh" "$@"
elif [ "$MODE" = smoke ]; then
    SMALL=10000 BIG=100000 SIGNED=8 WRK_SECONDS=2 WARM_SECONDS=1 ROUNDS=1
    CLIENT_RUNS=(1000) CLIENT_SECONDS=3 SEND_SECONDS=3 SEND_MAX_SECONDS=3 PHOTO_RUNS=2
    QUIET_BUDGET=0
    MANY_ROUNDS=0
elif [ "$MODE" = clients ]; then
    SMALL=10000 BIG=100000 SIGNED=50 WRK_SECONDS=2 WARM_SECONDS=1 ROUNDS=1
    CLIENT_RUNS=() CLIENT_SECONDS=20 SEND_SECONDS=3 SEND_MAX_SECONDS=3 PHOTO_RUNS=2
    QUIET_BUDGET=120
    MANY_ROUNDS=5
else
    SMALL=10000 BIG=1000000 SIGNED=50 WRK_SECONDS=5 WARM_SECONDS=2 ROUNDS=5
    CLIENT_RUNS=(1000 5000) CLIENT_SECONDS=30 SEND_SECONDS=10 SEND_MAX_SECONDS=10 PHOTO_RUNS=10
    QUIET_BUDGET=240
    MANY_ROUNDS=3
fi
# --rounds N: the rounds taken in turns for a to e (the smoke's short runs in five rounds give a spread in minutes).
[ -z "$ROUNDS_WANTED" ] || ROUNDS="$ROUNDS_WANTED"
# The many-clients rows (h): issue 20's 20,000 clients, and a flood of this many connections past the app's limit.
MANY_CLIENTS=20000
FLOOD_EXTRA=2000
# Clients per bench/LoadGen process: each connection is one of its descriptors too.
CLIENTS_PER_LOADGEN=9000
WRK_THREADS=2
WRK_CONNECTIONS=64
SEND_RATE=200
SEND_CONCURRENCY=32

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BROKEN=0

# The app's CPU time in clock ticks; 0 once the app is gone (the flood rows then say it died).
app_cpu() { instances_cpu "$APP_PID"; }
# instances_cpu PID...: the same summed over instances of the app.
instances_cpu() {
    local pid total=0
    for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
    echo "$total"
}

# wrk_run NAME PATH [ENV=VALUE ...]: a warm-up, then the measured run (CONNECTIONS=N to change the
# connection count); sets RUN (the RESULT line plus sql=,
# the statements MariaDB received during the run less the counter's own, and cpu_us=, the app's CPU time
# per request).
wrk_run() {
    local name="$1" path="$2" before after cpu_before cpu_after requests connections="${CONNECTIONS:-$WRK_CONNECTIONS}" threads
    shift 2
    threads=$((connections < WRK_THREADS ? connections : WRK_THREADS))
    env "$@" BENCH_PATH="$path" wrk -t"$threads" -c"$connections" -d"${WARM_SECONDS}s" \
        --timeout 10s -s "$BENCH/wrk/report.lua" "$BASE" >/dev/null
    quiet
    before="$(questions)"
    cpu_before="$(app_cpu)"
    RUN="$(env "$@" BENCH_PATH="$path" wrk -t"$threads" -c"$connections" -d"${WRK_SECONDS}s" \
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


# h. Many clients. pollers_run CLIENTS SESSIONS [BASE PID ...]: CLIENTS clients, each on its own connection, polling
# every 3 s for CLIENT_SECONDS after POLL_WARMUP seconds unmeasured, spread over as many bench/LoadGen processes as
# their open-file limit needs, and those over the instances given (the app at BASE by default). Sets RUN to one
# RESULT line: the processes' counts summed, p50/p99 over all their polls, sql= (statements during the run),
# cpu_pct= (the instances' CPU over the run, % of one core), cpu_us= (per poll), rss_mb= (the largest VmRSS of an
# instance, sampled every 0.5 s) and fds_max= (the most descriptors an instance held in those samples).
# The warm-up is three rounds: the first has every LoadGen client connecting at once, and on two shared cores the
# load generators are still busy with that a round later (the first measured polls then took seconds, with the
# bare endpoint too), which says nothing of the app.
POLL_WARMUP=9
pollers_run() {
    local clients="$1" sessions="$2" procs per n i pid before after cpu_before cpu_after started line
    local pids=() files=() bases=() instances=()
    shift 2
    if [ $# -eq 0 ]; then set -- "$BASE" "$APP_PID"; fi
    while [ $# -gt 0 ]; do bases+=("$1") instances+=("$2"); shift 2; done
    rm -f "$WORK"/loadgen.* "$WORK"/latencies.*
    procs=$(((clients + CLIENTS_PER_LOADGEN - 1) / CLIENTS_PER_LOADGEN))
    # As many processes for each instance.
    procs=$(((procs + ${#bases[@]} - 1) / ${#bases[@]} * ${#bases[@]}))
    per=$(((clients + procs - 1) / procs))
    (while kill -0 "${instances[0]}" 2>/dev/null; do
        for pid in "${instances[@]}"; do
            echo "$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0) $(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
        done
        sleep 0.5
    done) >"$WORK/rss.txt" &
    SAMPLER_PID=$!
    before="$(questions)"
    cpu_before="$(instances_cpu "${instances[@]}")"
    started=$SECONDS
    for ((i = 1; i <= procs; i++)); do
        n=$((i < procs ? per : clients - per * (procs - 1)))
        rm -f "$WORK/latencies.$i"
        dotnet "$LOADGEN" pollers --base "${bases[$(((i - 1) % ${#bases[@]}))]}" --sessions "$sessions" --clients "$n" --interval 3 \
            --warmup "$POLL_WARMUP" --duration "$CLIENT_SECONDS" --latencies "$WORK/latencies.$i" >"$WORK/loadgen.$i" 2>&1 &
        pids+=($!)
        files+=("$WORK/latencies.$i")
    done
    for pid in "${pids[@]}"; do wait "$pid" || { cat "$WORK"/loadgen.* >&2; die "the pollers did not run"; }; done
    cpu_after="$(instances_cpu "${instances[@]}")"
    after="$(questions)"
    servers_stop_one "$SAMPLER_PID"
    SAMPLER_PID=""
    RUN="RESULT clients=$clients processes=$procs"
    for key in requests errors clients_clean clients_refused; do
        n=0
        for ((i = 1; i <= procs; i++)); do
            line="$(grep '^RESULT' "$WORK/loadgen.$i")"
            n=$((n + $(field "$line" "$key")))
        done
        RUN="$RUN $key=$n"
    done
    RUN="$RUN $(python3 - "${files[@]}" <<'PY'
import math, sys
values = sorted(float(v) for f in sys.argv[1:] for v in open(f) if v.strip())
def pct(p):
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))] if values else 0
print(f"p50_ms={pct(50):.2f} p99_ms={pct(99):.2f} max_ms={(values[-1] if values else 0):.0f}")
PY
)"
    n="$(field "$RUN" requests)"
    RUN="$RUN sql=$((after - before - QUESTIONS_OVERHEAD))"
    RUN="$RUN cpu_pct=$(((cpu_after - cpu_before) * 100 / $(getconf CLK_TCK) / (SECONDS - started > 0 ? SECONDS - started : 1)))"
    RUN="$RUN cpu_us=$(((cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / (n > 0 ? n : 1)))"
    RUN="$RUN rss_mb=$(($(awk '{ print $1 }' "$WORK/rss.txt" | sort -n | tail -n 1) / 1024))"
    RUN="$RUN fds_max=$(awk '{ print $2 }' "$WORK/rss.txt" | sort -n | tail -n 1) first_error=\"$({ grep -ho 'first_error=.*' "$WORK"/loadgen.* || true; } | head -n 1 | cut -c13-90)\""
}

# settle: after a run, wait (at most 60 s) until the app has closed the run's connections, so the next run starts
# with every place free.
settle() {
    local waited=0
    while [ "$(find "/proc/$APP_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" -gt $((FDS_AT_REST + 200)) ] && [ "$waited" -lt 60 ]; do
        sleep 1
        waited=$((waited + 1))
    done
}

# The app says at startup how many connections it takes at once (ChatMvc/Health/ConnectionLimits.cs).
app_connection_limit() { sed -n 's/.*Connections at once: at most \([0-9]*\) .*/\1/p' "$RESULTS/app.log" | head -n 1; }

# h. 20,000 clients polling every 3 s, as many as the open-file limit lets one app hold, and a flood of
# connections past the app's limit, in turns for MANY_ROUNDS rounds; each figure is the median round's.
many_clients() {
    local limit clients flood round health_pid health alive after_status i
    local runs=() floods=() pairs=() spreads=""
    limit="$(app_connection_limit)"
    [ -n "$limit" ] || die "the app did not say its connection limit"
    # The app holds at most its limit; leave room for the health poller and the bench's own requests.
    clients=$MANY_CLIENTS
    [ "$clients" -le $((limit - 500)) ] || clients=$(((limit - 500) / 1000 * 1000))
    flood=$((limit + FLOOD_EXTRA))
    printf 'x=1\t/healthz\n' >"$WORK/health.tsv"
    FDS_AT_REST="$(find "/proc/$APP_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)"
    say "  many clients: the app takes $limit connections at once (open-file limit $OPEN_FILES); $clients clients, then a flood of $flood"
    # Where one process cannot hold them all, the full number goes to two instances on the same database and Redis.
    if [ "$clients" -lt "$MANY_CLIENTS" ]; then
        start_second_app
        say "  and $MANY_CLIENTS clients over two instances ($BASE and $BASE2), $((MANY_CLIENTS / 2)) each"
    fi
    for ((round = 1; round <= MANY_ROUNDS; round++)); do
        settle
        quiet
        pollers_run "$clients" "$WORK/pollers.tsv"
        say "  $clients clients every 3 s, round $round: ${RUN#RESULT } busy_before=$BUSY%"
        [ "$(field "$RUN" errors)" = 0 ] && [ "$(field "$RUN" sql)" = 0 ] || BROKEN=1
        runs+=("$RUN rps=$(field "$RUN" p99_ms)")
        settle
        quiet
        # One admitted connection asks /healthz every second through the flood.
        # It is measured over the same seconds as the pollers, after their connections are open.
        dotnet "$LOADGEN" pollers --base "$BASE" --sessions "$WORK/health.tsv" --clients 1 --interval 1 --warmup $((POLL_WARMUP + 2)) \
            --duration "$CLIENT_SECONDS" >"$WORK/health.txt" 2>&1 &
        health_pid=$!
        sleep 2
        pollers_run "$flood" "$WORK/pollers.tsv"
        wait "$health_pid" || die "the health poller did not run"
        health="$(grep '^RESULT' "$WORK/health.txt")"
        alive=no
        kill -0 "$APP_PID" 2>/dev/null && alive=yes
        # A new connection is admitted once the app has closed the flood's: /healthz within 30 s of that.
        settle
        after_status=000
        for ((i = 0; i < 30 && after_status != 200; i++)); do
            after_status="$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$BASE/healthz" || true)"
            [ "$after_status" = 200 ] || sleep 1
        done
        RUN="$RUN alive=$alive health_polls=$(field "$health" requests) health_errors=$(field "$health" errors) health_p99_ms=$(field "$health" p99_ms) healthz_after=$after_status"
        say "  flood of $flood connections, round $round: ${RUN#RESULT } busy_before=$BUSY%"
        [ "$alive" = yes ] || { BROKEN=1; break; }
        [ "$(field "$RUN" health_errors)" = 0 ] && [ "$after_status" = 200 ] || BROKEN=1
        floods+=("$RUN rps=$(field "$RUN" p99_ms)")
        if [ -n "$APP2_PID" ]; then
            settle
            quiet
            pollers_run "$MANY_CLIENTS" "$WORK/pollers.tsv" "$BASE" "$APP_PID" "$BASE2" "$APP2_PID"
            say "  $MANY_CLIENTS clients over two instances, round $round: ${RUN#RESULT } busy_before=$BUSY%"
            [ "$(field "$RUN" errors)" = 0 ] && [ "$(field "$RUN" sql)" = 0 ] || BROKEN=1
            pairs+=("$RUN rps=$(field "$RUN" p99_ms)")
        fi
    done
    [ "${#floods[@]}" = "$MANY_ROUNDS" ] || { row "h. connection flood" "the app died: see $RESULTS/app.log" "never a crash" FAIL; return; }
    spread() { printf '%s\n' "$@" | sed -n 's/.* p99_ms=\([^ ]*\).*/\1/p' | sort -n | awk '{ v[NR] = $1 } END { printf "%s to %s", v[1], v[NR] }'; }
    local many flooded
    many="$(median_run "${runs[@]}")"
    flooded="$(median_run "${floods[@]}")"
    local rss_max=0 run
    for run in "${runs[@]}"; do [ "$(field "$run" rss_mb)" -gt "$rss_max" ] && rss_max="$(field "$run" rss_mb)"; done
    if [ "${#pairs[@]}" -gt 0 ]; then
        local pair rss_pair=0
        pair="$(median_run "${pairs[@]}")"
        for run in "${pairs[@]}"; do [ "$(field "$run" rss_mb)" -gt "$rss_pair" ] && rss_pair="$(field "$run" rss_mb)"; done
        row "h. $MANY_CLIENTS clients, two instances" "p50 $(field "$pair" p50_ms) ms, p99 $(field "$pair" p99_ms) ms ($(spread "${pairs[@]}") in ${#pairs[@]} rounds), $(field "$pair" errors) errors, $(field "$pair" requests) polls, $(field "$pair" sql) SQL; at most $rss_pair MB per instance, CPU $(field "$pair" cpu_pct) % of one core for both" \
            "p99 < 50 ms, 0 errors, < 1 GB" "$(verdict "$(field "$pair" p99_ms) < 50 and $(field "$pair" errors) == 0 and $rss_pair < 1024")"
        row "h. $MANY_CLIENTS clients, one instance" "not possible here: the open-file limit $OPEN_FILES (hard) lets one process take $limit connections" "" info
    fi
    row "h. $clients clients polling every 3 s" "p50 $(field "$many" p50_ms) ms, p99 $(field "$many" p99_ms) ms ($(spread "${runs[@]}") in $MANY_ROUNDS rounds), $(field "$many" errors) errors, $(field "$many" requests) polls, $(field "$many" sql) SQL" \
        "p99 < 50 ms, 0 errors" "$(verdict "$(field "$many" p99_ms) < 50 and $(field "$many" errors) == 0")"
    row "h. app with $clients clients" "at most $rss_max MB resident; CPU $(field "$many" cpu_pct) % of one core, $(field "$many" cpu_us) us per poll" \
        "< 1 GB" "$(verdict "$rss_max < 1024")"
    row "h. flood: $flood connections, limit $limit" "the app answered throughout ($(field "$flooded" health_polls) /healthz on a kept connection, $(field "$flooded" health_errors) failed); $(field "$flooded" clients_clean) clients served throughout, $(field "$flooded" errors) polls turned away" \
        "never a crash" "$(verdict "'$(field "$flooded" alive)' == 'yes' and $(field "$flooded" health_errors) == 0 and '$(field "$flooded" healthz_after)' == '200'")"
    # The health poller is one client in a process of its own: beside the pollers' p99 (thousands of clients in each
    # LoadGen process, on the same cores), it shows how long the app itself took to answer through the flood.
    row "h. flood: the admitted pollers" "p50 $(field "$flooded" p50_ms) ms, p99 $(field "$flooded" p99_ms) ms ($(spread "${floods[@]}")), $(field "$flooded" requests) polls, peak $(field "$flooded" rss_mb) MB, at most $(field "$flooded" fds_max) descriptors; /healthz on its own connection p99 $(field "$flooded" health_p99_ms) ms" \
        "p99 < 50 ms" "$(verdict "$(field "$flooded" p99_ms) < 50")"
}

finish() {
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
}

# --- the run ----------------------------------------------------------------------------------------

bench_prepare

q1="$(questions)"
q2="$(questions)"
QUESTIONS_OVERHEAD=$((q2 - q1))
RSS_REST_KB="$(rss_kb VmRSS)"

{
    echo "ChatMvc benchmarks ($MODE run), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB memory, $(uname -sr); $(dotnet --version) SDK; $(mariadbd --version 2>/dev/null | awk '{ print $3 }' || true)"
    echo "seed: $USERS users; conversation 1 with $SMALL messages, conversation 2 with $BIG; user $LIST_USER in $LIST conversations (${SEED_SECONDS} s)"
    echo "wrk: $WRK_THREADS threads, $WRK_CONNECTIONS connections, ${WRK_SECONDS} s after a ${WARM_SECONDS} s warm-up;" \
        "a, b, c, d and e take the median of $ROUNDS rounds run in turns, with the lowest and highest in brackets; busy_before is the machine's load just before a run"
    echo
    echo "Runs:"
} | tee -a "$REPORT"

poll_path="/conversations/1/poll?after=$SMALL&v=0"
check_status 204 "$BASE/bench/bare"
if [ "$MODE" = clients ]; then
    check_status 204 "$BASE$poll_path" -H "Cookie: $COOKIE" -H "HX-Request: true"
    check_status 204 "$BASE/conversations/2/poll?after=$((SMALL + BIG))&v=0" -H "Cookie: $COOKIE" -H "HX-Request: true"
    many_clients
    finish
    exit 0
fi
check_status 204 "$BASE/bench/auth" -H "Cookie: $COOKIE"
check_status 204 "$BASE$poll_path" -H "Cookie: $COOKIE" -H "HX-Request: true"
check_status 200 "$BASE/conversations/1" -H "Cookie: $COOKIE"
[ "$(grep -c 'class="message"' "$WORK/check.html")" = 40 ] || die "the chat window does not show 40 messages"
check_status 200 "$BASE/conversations/1/messages?before=5000" -H "Cookie: $COOKIE" -H "HX-Request: true"
check_status 200 "$BASE/conversations" -H "Cookie: $LIST_COOKIE"
[ "$(grep -c 'class="conversation-row' "$WORK/check.html")" = "$LIST" ] || die "the list does not show $LIST conversations"

# a and b. The bare endpoint, the signed-in no-op, the idle poll and the chat window (kept, then rendered), taken in
# turns so that a burst of someone else's load hits all of them alike; each figure is the median of its rounds.
BARES=() AUTHS=() POLLS=() WINDOWS=() RENDERS=()
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
    # The same window with a query, which is never kept whole (WindowPages): what a window costs the first time
    # after something in it changed.
    wrk_run "chat window rendered, round $round" "/conversations/1?checked=bench" BENCH_COOKIE="$COOKIE"
    RENDERS+=("$RUN")
done
BARE="$(median_run "${BARES[@]}")"
AUTH="$(median_run "${AUTHS[@]}")"
POLL="$(median_run "${POLLS[@]}")"
WINDOW="$(median_run "${WINDOWS[@]}")"
RENDER="$(median_run "${RENDERS[@]}")"
poll_requests=0
for run in "${POLLS[@]}"; do poll_requests=$((poll_requests + $(field "$run" requests))); done
[ "$POLL_SQL" = 0 ] || BROKEN=1
bare_rps="$(field "$BARE" rps)"
poll_rps="$(field "$POLL" rps)"
# Issue 20's ratios are taken round by round (each against the bare run beside it), so a burst of someone else's
# load shows as spread instead of moving one side of a ratio of medians.
POLL_RATIOS=() POLL_CPU_RATIOS=() WINDOW_RATIOS=() WINDOW_CPUS=() WINDOW_SQLS=()
for ((i = 0; i < ROUNDS; i++)); do
    POLL_RATIOS+=("$(calc "100 * $(field "${POLLS[i]}" rps) / max(1, $(field "${BARES[i]}" rps))")")
    POLL_CPU_RATIOS+=("$(calc "$(field "${POLLS[i]}" cpu_us) / max(1, $(field "${BARES[i]}" cpu_us))")")
    WINDOW_RATIOS+=("$(calc "100 * $(field "${WINDOWS[i]}" rps) / max(1, $(field "${BARES[i]}" rps))")")
    WINDOW_CPUS+=("$(field "${WINDOWS[i]}" cpu_us)")
    WINDOW_SQLS+=("$(calc "$(field "${WINDOWS[i]}" sql) / max(1, $(field "${WINDOWS[i]}" requests))")")
done
row "a. bare endpoint" "$bare_rps req/s, p50 $(field "$BARE" p50_ms) ms, p99 $(field "$BARE" p99_ms) ms, app CPU $(field "$BARE" cpu_us) us" "the ceiling" info
row "a. signed-in no-op (/bench/auth)" "$(field "$AUTH" rps) req/s, $(calc "round(100 * $(field "$AUTH" rps) / $bare_rps, 1)") % of bare, app CPU $(field "$AUTH" cpu_us) us" "the floor of a signed-in request" info
row "a. idle poll" "$poll_rps req/s, p50 $(field "$POLL" p50_ms) ms, p99 $(field "$POLL" p99_ms) ms, app CPU $(field "$POLL" cpu_us) us" "" info
row "a. idle poll / bare" "$(stats " %" "${POLL_RATIOS[@]}")" ">= 70 % (stretch 85 %)" "$(verdict "$(median "${POLL_RATIOS[@]}") >= 70")"
row "a. idle poll app CPU / bare's" "$(stats " times" "${POLL_CPU_RATIOS[@]}")" "<= 2" "$(verdict "$(median "${POLL_CPU_RATIOS[@]}") <= 2")"
row "a. SQL during the idle-poll runs" "$POLL_SQL statements in $poll_requests polls" "0" "$(verdict "$POLL_SQL == 0")"
row "b. chat window (40 messages)" "$(field "$WINDOW" rps) req/s, p99 $(field "$WINDOW" p99_ms) ms, $(field "$WINDOW" bytes_per_request) bytes per page" "" info
row "b. chat window / bare" "$(stats " %" "${WINDOW_RATIOS[@]}")" ">= 10 %" "$(verdict "$(median "${WINDOW_RATIOS[@]}") >= 10")"
row "b. chat window app CPU per page" "$(stats " us" "${WINDOW_CPUS[@]}")" "<= 300 us" "$(verdict "$(median "${WINDOW_CPUS[@]}") <= 300")"
row "b. chat window SQL per page (warm)" "$(stats "" "${WINDOW_SQLS[@]}")" "0" "$(verdict "$(median "${WINDOW_SQLS[@]}") == 0")"
row "b. chat window rendered (a query)" "$(field "$RENDER" rps) req/s, app CPU $(field "$RENDER" cpu_us) us, $(calc "round(100 * $(field "$RENDER" rps) / $bare_rps, 2)") % of bare, SQL per page $(calc "$(field "$RENDER" sql) / max(1, $(field "$RENDER" requests))")" "what a window costs after a change" info

# c. Older history, pages spread over the whole conversation, small against big, in turns. Both ask for the same
# number of different pages: rendered message fragments are kept, so a run that asked the small conversation for its
# 250 pages and the big one for its 2,500 compared cache hits with renders, not reading a page deep in a big
# conversation with reading one in a small.
HISTORY_PAGES=200
SMALLS=() BIGS=()
for ((round = 1; round <= ROUNDS; round++)); do
    wrk_run "history, $SMALL messages, round $round" "/conversations/1/messages?before={before}" \
        BENCH_COOKIE="$COOKIE" BENCH_HTMX=1 BENCH_BEFORE_MIN=41 BENCH_BEFORE_MAX="$SMALL" BENCH_BEFORE_PAGES="$HISTORY_PAGES"
    SMALLS+=("$RUN")
    wrk_run "history, $BIG messages, round $round" "/conversations/2/messages?before={before}" \
        BENCH_COOKIE="$COOKIE" BENCH_HTMX=1 BENCH_BEFORE_MIN=$((SMALL + 41)) BENCH_BEFORE_MAX=$((SMALL + BIG)) BENCH_BEFORE_PAGES="$HISTORY_PAGES"
    BIGS+=("$RUN")
done
HIST_SMALL="$(median_run "${SMALLS[@]}")"
HIST_BIG="$(median_run "${BIGS[@]}")"
# A run that finished no page (a machine too busy for 2 s runs) is a miss to report, not a reason to stop the script.
history_ratio="$(calc "round($(field "$HIST_SMALL" rps) / $(field "$HIST_BIG" rps), 2) if $(field "$HIST_BIG" rps) > 0 else float('inf')")"
row "c. history page, $SMALL messages" "$(field "$HIST_SMALL" rps) req/s, p50 $(field "$HIST_SMALL" p50_ms) ms" "" info
row "c. history page, $BIG messages" "$(field "$HIST_BIG" rps) req/s, p50 $(field "$HIST_BIG" p50_ms) ms" "" info
row "c. time per page, $BIG / $SMALL" "$history_ratio" "<= 1.3" "$(verdict "$history_ratio <= 1.3")"

# e. The conversation list of a person in 500 conversations: a 500-row page. One connection for the page's own
# time (issue 20's p50), then 8 for throughput (at 64 the queue alone is a second long).
LISTS=()
for ((round = 1; round <= ROUNDS; round++)); do
    CONNECTIONS=1 wrk_run "conversation list ($LIST), 1 connection, round $round" /conversations BENCH_COOKIE="$LIST_COOKIE"
    LISTS+=("$RUN")
done
LIST_P50S=()
for run in "${LISTS[@]}"; do LIST_P50S+=("$(field "$run" p50_ms)"); done
CONNECTIONS=8 wrk_run "conversation list ($LIST), 8 connections" /conversations BENCH_COOKIE="$LIST_COOKIE"
LISTRUN="$RUN"
row "e. conversation list, $LIST conversations" "$(field "$LISTRUN" rps) req/s with 8 connections, $(field "$LISTRUN" cpu_us) us app CPU and $(field "$LISTRUN" bytes_per_request) bytes per page" "" info
row "e. list page p50, 1 connection" "$(stats " ms" "${LIST_P50S[@]}")" "< 20 ms" "$(verdict "$(median "${LIST_P50S[@]}") < 20")"
# A list poll after one of the person's conversations changed: it should carry that row alone.
list_version="$(curl -s -H "Cookie: $LIST_COOKIE" "$BASE/conversations" | sed -n 's/.*conversations\/poll?v=\([0-9-]*\).*/\1/p' | head -n 1)"
[ -n "$list_version" ] || die "the conversation list page names no poll version"
list_token="$(curl -s -H "Cookie: $LIST_COOKIE" "$BASE/conversations/$((LIST_FIRST_CONVERSATION + LIST / 2))" | form_token)"
check_status 200 "$BASE/conversations/$((LIST_FIRST_CONVERSATION + LIST / 2))/messages" -H "Cookie: $LIST_COOKIE" -H "HX-Request: true" \
    --data-urlencode "__RequestVerificationToken=$list_token" --data-urlencode "Body=One change for the list's update" \
    --data-urlencode "After=0" --data-urlencode "V=0"
check_status 200 "$BASE/conversations/poll?v=$list_version" -H "Cookie: $LIST_COOKIE" -H "HX-Request: true"
list_update_rows="$(grep -o 'class="conversation-row' "$WORK/check.html" | wc -l)"
list_update_bytes="$(wc -c <"$WORK/check.html")"
say "  list poll after one change: $list_update_rows rows, $list_update_bytes bytes"
row "e. list update after one change" "$list_update_rows rows, $list_update_bytes bytes" "the changed row only" "$(verdict "$list_update_rows == 1")"

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
    servers_stop_one "$SAMPLER_PID"
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

# d. Sending: a fixed 200 a second, plain and with a mention, in turns for ROUNDS rounds; then as fast as it goes.
SEND_P50S=() MENTION_P50S=() SEND_P99S=() MENTION_P99S=() SEND_ERRORS=0
for ((round = 1; round <= ROUNDS; round++)); do
    quiet
    RUN="$(dotnet "$LOADGEN" send --base "$BASE" --sessions "$WORK/senders.tsv" --rate "$SEND_RATE" \
        --duration "$SEND_SECONDS" | grep '^RESULT')" || die "the fixed-rate sends did not run"
    say "  sends at $SEND_RATE/s, round $round: ${RUN#RESULT } busy_before=$BUSY%"
    SEND_P50S+=("$(field "$RUN" p50_ms)") SEND_P99S+=("$(field "$RUN" p99_ms)") SEND_ERRORS=$((SEND_ERRORS + $(field "$RUN" errors)))
    quiet
    RUN="$(dotnet "$LOADGEN" send --base "$BASE" --sessions "$WORK/senders.tsv" --rate "$SEND_RATE" \
        --duration "$SEND_SECONDS" --mention 1 | grep '^RESULT')" || die "the fixed-rate sends with a mention did not run"
    say "  sends with a mention at $SEND_RATE/s, round $round: ${RUN#RESULT } busy_before=$BUSY%"
    MENTION_P50S+=("$(field "$RUN" p50_ms)") MENTION_P99S+=("$(field "$RUN" p99_ms)") SEND_ERRORS=$((SEND_ERRORS + $(field "$RUN" errors)))
done
# The run measures sends that store a mention, or it measures nothing new.
[ "$(sql chatbench -e "SELECT COUNT(*) FROM message_mentions")" -gt 0 ] || die "the sends with a mention stored no mention"
quiet
RUN="$(dotnet "$LOADGEN" send-max --base "$BASE" --sessions "$WORK/senders.tsv" --concurrency "$SEND_CONCURRENCY" \
    --duration "$SEND_MAX_SECONDS" | grep '^RESULT')" || die "the maximum-rate sends did not run"
SENDMAX="$RUN"
say "  sends, $SEND_CONCURRENCY at once: ${SENDMAX#RESULT } busy_before=$BUSY%"
[ "$SEND_ERRORS" = 0 ] && [ "$(field "$SENDMAX" errors)" = 0 ] || BROKEN=1
row "d. send at $SEND_RATE/s, p99" "$(stats " ms" "${SEND_P99S[@]}") (p50 $(stats " ms" "${SEND_P50S[@]}")), $SEND_ERRORS errors" \
    "p99 < 50 ms" "$(verdict "$(median "${SEND_P99S[@]}") < 50 and $SEND_ERRORS == 0")"
row "d. send with a mention at $SEND_RATE/s, p99" "$(stats " ms" "${MENTION_P99S[@]}") (p50 $(stats " ms" "${MENTION_P50S[@]}"))" \
    "p99 < 50 ms" "$(verdict "$(median "${MENTION_P99S[@]}") < 50 and $SEND_ERRORS == 0")"
row "d. maximum send rate" "$(field "$SENDMAX" rps) sends/s, p99 $(field "$SENDMAX" p99_ms) ms ($SEND_CONCURRENCY at once)" ">= 1,500/s" "$(verdict "$(field "$SENDMAX" rps) >= 1500")"

# g. A 12-megapixel photo, and the app's memory.
photo_bench
row "g. 12 MP photo, both variants" "median $PHOTO_MS ms one at a time (${PHOTO_BURST_MS:-?} ms each in a burst), peak $PHOTO_PEAK_MB MB" "none in issue 8" info
RSS_PEAK_KB="$(rss_kb VmHWM)"
row "g. app memory" "$((RSS_REST_KB / 1024)) MB at rest, $((RSS_LOAD_KB / 1024)) MB with the most clients, peak $((RSS_PEAK_KB / 1024)) MB" "none in issue 8" info

if [ "$MANY_ROUNDS" -gt 0 ]; then many_clients; else row "h. $MANY_CLIENTS clients, connection flood" "not run in the smoke (bash bench/run.sh --clients)" "never a crash" info; fi
finish
