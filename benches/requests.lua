-- wrk script: the requests a measurement sends, built once in init() so that
-- the load generator spends the same (small) effort per request in every mode.
--
--   wrk ... -s benches/requests.lua URL -- fixed /healthz
--   wrk ... -s benches/requests.lua URL -- locate SEED LAT_MIN LAT_MAX LON_MIN LON_MAX [N]
--
-- `locate` sends GET /api/v1/locate?lat=..&lon=.. for N (default 10000)
-- uniformly random points in the box, from a fixed seed, cycling through them.
-- Headers given to wrk with -H are kept (wrk.format uses wrk.headers).

local reqs = {}
local n = 0
local i = 0

function init(args)
    local mode = args[1] or "fixed"
    if mode == "fixed" then
        reqs[1] = wrk.format("GET", args[2] or "/")
    elseif mode == "locate" then
        local seed = tonumber(args[2]) or 1
        local lat0, lat1 = tonumber(args[3]), tonumber(args[4])
        local lon0, lon1 = tonumber(args[5]), tonumber(args[6])
        local count = tonumber(args[7]) or 10000
        math.randomseed(seed)
        for k = 1, count do
            local lat = lat0 + math.random() * (lat1 - lat0)
            local lon = lon0 + math.random() * (lon1 - lon0)
            reqs[k] = wrk.format("GET",
                string.format("/api/v1/locate?lat=%.5f&lon=%.5f", lat, lon))
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
