#!/usr/bin/env bash
# A 100 MB file sent in a message (docs/performance.md, "A 100 MB file"):
#
#   bash bench/files.sh          5 uploads through the API and 5 through the chat window's form, alternating,
#                                each a new 100 MB file of random bytes; throughput and the app's peak memory
#   bash bench/files.sh 9 50     9 of each, 50 MB files
#
# Builds Release, starts throwaway MariaDB and Redis and the app on 127.0.0.1 (bench/lib.sh), with its file store
# in a temporary folder; registers two people through the API and starts their conversation. Before each upload it
# resets the app's peak resident memory (VmHWM, through /proc/PID/clear_refs) and reads what it holds (VmRSS);
# the rise is the peak during the upload less that, also checked against VmRSS sampled every 20 ms. Target: a
# rise under 50 MB, since the file streams to disk and is never held whole in memory. Prints median, min and max
# and writes them to bench/results/files.txt. Exits non-zero when an upload fails.
set -euo pipefail

MODE=files
SERVE=0
RUNS="${1:-5}"
MEGABYTES="${2:-100}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$MEGABYTES" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash bench/files.sh [RUNS] [MEGABYTES]" >&2; exit 64; }
SMALL=0 BIG=0 SIGNED=2
QUIET_BUDGET=60
TARGET_MB=50

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APP_ENV=(Storage__Path="$WORK/store" Uploads__MaxFileMegabytes="$((MEGABYTES > 100 ? MEGABYTES : 100))")

json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

# api_user N: registers benchN@bench.test through the API; prints "ID TOKEN".
api_user() {
    local id token
    id="$(curl -sS --fail-with-body -H 'Content-Type: application/json' \
        -d "{\"email\": \"bench$1@bench.test\", \"password\": \"$PASSWORD\", \"displayName\": \"Bench person $1\"}" \
        "$BASE/api/v1/auth/register" | json "['id']")"
    token="$(curl -sS --fail-with-body -H 'Content-Type: application/json' \
        -d "{\"email\": \"bench$1@bench.test\", \"password\": \"$PASSWORD\"}" "$BASE/api/v1/auth/login" | json "['accessToken']")"
    echo "$id $token"
}

kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$APP_PID/status"; }

# sample_rss FILE: the app's VmRSS (kB) every 20 ms, one a line, until killed.
sample_rss() {
    while kill -0 "$APP_PID" 2>/dev/null; do
        kb VmRSS >>"$1" || true
        sleep 0.02
    done
}

# upload FACE N: one upload of a fresh file (FACE api or form); appends "face seconds MB/s rise_kB sampled_rise_kB"
# to runs.tsv.
upload() {
    local face="$1" n="$2" file="$WORK/upload.bin" base_kb peak_kb sampled_kb out status seconds
    head -c "$((MEGABYTES * 1024 * 1024))" /dev/urandom >"$file"
    if [ "$face" = form ]; then
        check_status 200 "$BASE/conversations/$CONVERSATION" -b "$WORK/bench1@bench.test.jar"
        FORM_TOKEN="$(form_token <"$WORK/check.html")"
        [ -n "$FORM_TOKEN" ] || die "the chat window has no composer token"
    fi
    sync
    quiet
    echo 5 >"/proc/$APP_PID/clear_refs" || die "cannot reset the app's VmHWM (/proc/$APP_PID/clear_refs)"
    base_kb="$(kb VmRSS)"
    : >"$WORK/rss.txt"
    sample_rss "$WORK/rss.txt" &
    SAMPLER_PID=$!
    if [ "$face" = api ]; then
        out="$(curl -sS -o "$WORK/answer.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" \
            -F "file=@$file;type=application/octet-stream;filename=bench-$n.bin" -F "body=Upload $n" \
            -F "clientMessageId=files-bench-$n" "$BASE/api/v1/conversations/$CONVERSATION/messages/file")"
    else
        out="$(curl -sS -o "$WORK/answer.html" -w '%{http_code} %{time_total}' -b "$WORK/bench1@bench.test.jar" \
            -F "__RequestVerificationToken=$FORM_TOKEN" -F "File=@$file;type=application/octet-stream;filename=bench-$n.bin" \
            -F "Body=Upload $n" -F "ClientMessageId=files-bench-$n" "$BASE/conversations/$CONVERSATION/messages")"
    fi
    sleep 0.1
    peak_kb="$(kb VmHWM)"
    servers_stop_one "$SAMPLER_PID"
    SAMPLER_PID=""
    status="${out% *}"
    seconds="${out#* }"
    case "$face:$status" in
        api:201 | form:302) ;;
        *) cat "$WORK/answer."* >&2 2>/dev/null || true; die "upload $n through the $face answered $status" ;;
    esac
    sampled_kb="$(sort -n "$WORK/rss.txt" | tail -n 1)"
    printf '%s\t%s\t%s\t%s\t%s\n' "$face" "$seconds" "$(calc "$MEGABYTES / $seconds")" \
        "$((peak_kb - base_kb))" "$((${sampled_kb:-$base_kb} - base_kb))" >>"$WORK/runs.tsv"
    log "$face upload $n: $seconds s, peak rise $(((peak_kb - base_kb) / 1024)) MB (busy before: $BUSY%)"
}

# summary FACE COLUMN [DIVISOR]: "median (min to max)" of a column of runs.tsv for one face.
summary() {
    awk -F'\t' -v face="$1" -v col="$2" -v div="${3:-1}" '$1 == face { print $col / div }' "$WORK/runs.tsv" | python3 -c "
import statistics, sys
values = [float(line) for line in sys.stdin]
print(f'{statistics.median(values):.1f} ({min(values):.1f} to {max(values):.1f})')"
}

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
install_missing
log "building Release"
dotnet build "$ROOT/ChatMvc/ChatMvc.csproj" -c Release -nologo -v q >"$WORK/build.log" 2>&1 ||
    { tail -n 40 "$WORK/build.log" >&2; die "the app did not build"; }
servers_start 2>"$WORK/servers.log" || { cat "$WORK/servers.log" >&2; die "the servers did not start"; }
start_app

read -r _ TOKEN <<<"$(api_user 1)"
read -r OTHER _ <<<"$(api_user 2)"
CONVERSATION="$(curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"participantIds\": [$OTHER]}" "$BASE/api/v1/conversations" | json "['id']")"
sign_in bench1@bench.test >/dev/null

# One small upload first, so the first measured one does not pay for the app's warm-up.
MEGABYTES_MEASURED="$MEGABYTES"
MEGABYTES=1
upload api 0
upload form 0
MEGABYTES="$MEGABYTES_MEASURED"
: >"$WORK/runs.tsv"
RSS_START_MB="$(($(kb VmRSS) / 1024))"

for ((i = 1; i <= RUNS; i++)); do
    upload api "$i"
    upload form "$i"
done

{
    echo "ChatMvc file uploads, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(uname -sr); $(dotnet --version) SDK; $RUNS uploads of $MEGABYTES MB (random bytes) each way, alternating"
    echo "the app's resident memory before the first: $RSS_START_MB MB; busiest the machine was before a run: $MAX_BUSY%"
} | tee -a "$REPORT"
for face in api form; do
    name="$([ "$face" = api ] && echo "upload through the API" || echo "upload through the form")"
    rise_mb="$(awk -F'\t' -v face="$face" '$1 == face { print $4 / 1024 }' "$WORK/runs.tsv" | sort -n | tail -n 1)"
    row "$name: time (s)" "median $(summary "$face" 2)" "info" info
    row "$name: throughput (MB/s)" "median $(summary "$face" 3)" "info" info
    row "$name: peak memory rise (MB)" "VmHWM: median $(summary "$face" 4 1024); sampled VmRSS: median $(summary "$face" 5 1024)" \
        "every run under $TARGET_MB MB" "$(verdict "$rise_mb < $TARGET_MB")"
done
print_table | tee -a "$REPORT"
[ "$MET" = "$TARGETS" ]
