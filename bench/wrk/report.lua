-- wrk script for bench/run.sh. Reads its settings from the environment:
--   BENCH_COOKIE       Cookie header to send (a signed-in session), optional
--   BENCH_HTMX         "1" sends HX-Request: true, as htmx does (an expired cookie then answers 401, not a redirect)
--   BENCH_PATH         path to request; "{before}" in it is replaced on every request by a random id in
--   BENCH_BEFORE_MIN, BENCH_BEFORE_MAX   (older-history pages spread over the whole conversation), one of
--   BENCH_BEFORE_PAGES evenly spaced ids when that is set (so runs on conversations of different sizes ask for as
--                      many different pages, and find as many of their messages' fragments already rendered)
-- and prints one line the script parses:
--   RESULT requests=N errors=N rps=N p50_ms=N p99_ms=N max_ms=N non_2xx=N bytes_per_request=N

local cookie = os.getenv("BENCH_COOKIE")
local path = os.getenv("BENCH_PATH")
local before_min = tonumber(os.getenv("BENCH_BEFORE_MIN") or "")
local before_max = tonumber(os.getenv("BENCH_BEFORE_MAX") or "")
local before_pages = tonumber(os.getenv("BENCH_BEFORE_PAGES") or "")

if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
end
if os.getenv("BENCH_HTMX") == "1" then
    wrk.headers["HX-Request"] = "true"
end
if path and path ~= "" then
    wrk.path = path
end

if before_min and before_max and string.find(wrk.path, "{before}", 1, true) then
    local template = wrk.path
    function init(args)
        math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
    end
    function request()
        local before = math.random(before_min, before_max)
        if before_pages and before_pages > 1 then
            local step = (before_max - before_min) / (before_pages - 1)
            before = before_min + math.floor(math.random(0, before_pages - 1) * step)
        end
        return wrk.format(nil, (template:gsub("{before}", tostring(before))))
    end
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non_2xx=%d bytes_per_request=%d\n",
        summary.requests, e.connect + e.read + e.write + e.timeout + e.status,
        summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, e.status, summary.requests > 0 and math.floor(summary.bytes / summary.requests) or 0))
end
