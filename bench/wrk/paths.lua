-- wrk script for bench/search.sh: each connection requests the paths of the file BENCH_PATHS in turn (one per line),
-- with the Cookie header BENCH_COOKIE, and prints the RESULT line of report.lua with p95 besides.
local cookie = os.getenv("BENCH_COOKIE")
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then
        paths[#paths + 1] = line
    end
end

if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
end

local next_path = 0
function init(args)
    -- Each thread starts somewhere else in the list, so runs of a few seconds still cover it.
    next_path = math.random(0, #paths - 1)
end

function request()
    next_path = next_path % #paths + 1
    return wrk.format(nil, paths[next_path])
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d errors=%d rps=%.1f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f non_2xx=%d\n",
        summary.requests, e.connect + e.read + e.write + e.timeout + e.status,
        summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000, e.status))
end
