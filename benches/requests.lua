-- wrk script for benches/load.rs: the requests a measurement sends, built once in init() so that
-- the load generator spends the same (small) effort per request in every mode, and a done() that
-- prints the figures as one JSON line (WRK_JSON {...}) for the harness to read: req/s, requests,
-- bytes per answer, answers with status >= 400, socket errors, p50 and p99 latency in ms.
--
--   wrk ... -s benches/requests.lua URL -- fixed PATH
--   wrk ... -s benches/requests.lua URL -- locate SEED LAT_MIN LAT_MAX LON_MIN LON_MAX [N]
--   wrk ... -s benches/requests.lua URL -- bbox PATH SEED W S E N JITTER [N]
--
-- `fixed` sends GET PATH. `locate` sends GET /api/v1/locate?lat=..&lon=.. for N (default 10000)
-- uniformly random points in the box. `bbox` sends GET PATH&bbox=w,s,e,n for N boxes, each edge
-- of W,S,E,N moved outwards by a random amount below JITTER degrees: the same features, but a
-- different URL each time (a cache miss as long as N exceeds the server's cache). Both cycle
-- through their N requests from a fixed seed (each wrk thread adds its number to it).
-- Headers given to wrk with -H are kept (wrk.format uses wrk.headers).

local reqs = {}
local n = 0
local i = 0
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("thread_number", threads)
end

function init(args)
    local mode = args[1] or "fixed"
    local number = thread_number or 1
    if mode == "fixed" then
        reqs[1] = wrk.format("GET", args[2] or "/")
    elseif mode == "locate" then
        math.randomseed((tonumber(args[2]) or 1) + number)
        local lat0, lat1 = tonumber(args[3]), tonumber(args[4])
        local lon0, lon1 = tonumber(args[5]), tonumber(args[6])
        for k = 1, tonumber(args[7]) or 10000 do
            local lat = lat0 + math.random() * (lat1 - lat0)
            local lon = lon0 + math.random() * (lon1 - lon0)
            reqs[k] = wrk.format("GET", string.format("/api/v1/locate?lat=%.5f&lon=%.5f", lat, lon))
        end
    elseif mode == "bbox" then
        local path = args[2]
        math.randomseed((tonumber(args[3]) or 1) + number)
        local w, s, e, no = tonumber(args[4]), tonumber(args[5]), tonumber(args[6]), tonumber(args[7])
        local j = tonumber(args[8])
        for k = 1, tonumber(args[9]) or 10000 do
            reqs[k] = wrk.format("GET", string.format("%s&bbox=%.6f,%.6f,%.6f,%.6f", path,
                w - math.random() * j, s - math.random() * j, e + math.random() * j, no + math.random() * j))
        end
    else
        error("requests.lua: unknown mode " .. mode)
    end
    n = #reqs
end

function request()
    i = i % n + 1
    return reqs[i]
end

function done(summary, latency, requests)
    local e, n = summary.errors, summary.requests
    io.write(string.format(
        'WRK_JSON {"rps":%.3f,"requests":%d,"bytes_per_answer":%.3f,"non_2xx":%d,'
            .. '"socket_errors":%d,"p50_ms":%.3f,"p99_ms":%.3f}\n',
        n / (summary.duration / 1e6), n, summary.bytes / math.max(n, 1), e.status,
        e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1e3,
        latency:percentile(99) / 1e3))
end
