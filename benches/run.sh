#!/usr/bin/env bash
# benches/run.sh — `make bench`: how fast skaraborgskartan is on this machine,
# each figure next to a peer measured in the same run, on loopback only.
#
#   a. GET /api/v1/kommuner (gzip)  vs  nginx gzip_static serving the same bytes
#   b. GET /api/v1/locate (random points, seeded)  vs  GET /healthz; locate p99
#   c. cold start to the first /healthz answer, --region sverige (median)
#   d. VmRSS of the --region sverige server after load
#   e. GET /kommun/1496 (HTML, gzip)  vs  GET /healthz
#   f. bytes of the first map page with all its assets and the GeoJSON, gzip
#   g. GET /ogc/collections/kommuner/items?limit=15  vs  pygeoapi on the same GeoJSON file
#   h. the full long-table CSV export (req/s, MB/s, rows/s)
#
# The server (and nginx) run on core SERVER_CPU, wrk and this script on core
# LOAD_CPU. Every load is bounded: WARMUP s discarded, then REPEAT x DURATION s
# measured (wrk -d, under `timeout`); the cold-start loop has a 30 s deadline.
# Prints a table and writes target/bench/results.json. Installs wrk, nginx-light
# and curl if missing (tools/deps.sh bench).
#
# Settings (environment):
#   SKK_BENCH_PORT=18080      port for our server (must be free); nginx takes the next free one
#   SKK_BENCH_DATA=geodata    data directory
#   SKK_BENCH_DURATION=10     seconds measured per load
#   SKK_BENCH_WARMUP=2        seconds of warm-up before each load
#   SKK_BENCH_WARM_LOAD=5     seconds of each load on the sverige server before reading RSS
#   SKK_BENCH_REPEAT=1        measured runs per load; the run with the median req/s counts
#   SKK_BENCH_THREADS=1 SKK_BENCH_CONNS=32   wrk threads and connections
#   SKK_BENCH_COLD_RUNS=5     cold starts per region
#   SKK_BENCH_SEED=20240101   seed of the random locate points
#   SKK_BENCH_SERVER_CPU=0 SKK_BENCH_LOAD_CPU=1
#   SKK_BENCH_NGINX_ACCESS_LOG=off   on: nginx writes an access log (to the temp dir)
#   RUST_LOG=warn             our server's log filter. Default warn: no per-request access log,
#                             like nginx with SKK_BENCH_NGINX_ACCESS_LOG=off (compare like with like)
#   SKK_BENCH_BIN=path        use this binary instead of building target/release/skaraborgskartan
#   SKK_BENCH_OUT=target/bench  where results.json goes
#   SKK_BENCH_STRICT=1        exit 1 if any target is missed
#   SKK_BENCH_KEEP_TMP=1      keep the temp dir (wrk outputs, server logs, nginx conf)
#
# To add a row: measure with the functions below (start_server, measure_wrk,
# cold_start, rss_kb, ...) in a new bench_* function, call add_row, and call the
# function from main.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PORT=${SKK_BENCH_PORT:-18080}
DATA=${SKK_BENCH_DATA:-geodata}
DURATION=${SKK_BENCH_DURATION:-10}
WARMUP=${SKK_BENCH_WARMUP:-2}
WARM_LOAD=${SKK_BENCH_WARM_LOAD:-5}
REPEAT=${SKK_BENCH_REPEAT:-1}
THREADS=${SKK_BENCH_THREADS:-1}
CONNS=${SKK_BENCH_CONNS:-32}
COLD_RUNS=${SKK_BENCH_COLD_RUNS:-5}
SEED=${SKK_BENCH_SEED:-20240101}
SERVER_CPU=${SKK_BENCH_SERVER_CPU:-0}
LOAD_CPU=${SKK_BENCH_LOAD_CPU:-1}
BIN=${SKK_BENCH_BIN:-}
OUT_DIR=${SKK_BENCH_OUT:-$ROOT/target/bench}
STRICT=${SKK_BENCH_STRICT:-0}
KEEP_TMP=${SKK_BENCH_KEEP_TMP:-0}
NGINX_ACCESS_LOG=${SKK_BENCH_NGINX_ACCESS_LOG:-off}
export RUST_LOG=${RUST_LOG:-warn}

# Skaraborg's bounding box, for random locate points.
LAT_MIN=57.9 LAT_MAX=59.1 LON_MIN=13.0 LON_MAX=14.8
LUA=$ROOT/benches/requests.lua
GZIP_HDR='Accept-Encoding: gzip'
HOST=127.0.0.1

# ---------------------------------------------------------------- helpers

log() { printf '[bench %(%T)T] %s\n' -1 "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

# calc EXPR: floating point arithmetic (awk), e.g. calc "3 / 4"
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

# ---------------------------------------------------------------- processes

PIDS=()
TMP=

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        stop_pid "$pid"
    done
    PIDS=()
    if [[ -n $TMP && -d $TMP ]]; then
        if [[ $KEEP_TMP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    fi
}

forget_pid() {
    local p keep=()
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# stop_pid PID: SIGTERM, up to 10 s for a graceful exit, then SIGKILL.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid ignored SIGTERM for 10 s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

# tree_pids PID: the process and its direct children (nginx: master + workers).
tree_pids() {
    echo "$1"
    cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . || true
}

# cpu_ticks PID: user+system clock ticks of the process and its children so far.
cpu_ticks() {
    local total=0 p stat rest
    local -a f
    for p in $(tree_pids "$1"); do
        stat=$(cat /proc/"$p"/stat 2>/dev/null) || continue
        rest=${stat##*) }            # fields from 3 (state) on
        read -r -a f <<<"$rest"
        total=$((total + f[11] + f[12])) # utime, stime (fields 14, 15)
    done
    echo "$total"
}

# core_jiffies CPU: "busy total" clock ticks of one core so far (/proc/stat);
# busy: user, nice, system, irq, softirq, steal (a process is charged its irq ticks).
core_jiffies() {
    awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

# machine_busy_pct SECONDS: how busy both cores are with nothing of ours running.
machine_busy_pct() {
    local a0 a1 b0 b1
    read -r a0 a1 < <(core_jiffies "$SERVER_CPU")
    read -r b0 b1 < <(core_jiffies "$LOAD_CPU")
    sleep "$1"
    local c0 c1 d0 d1
    read -r c0 c1 < <(core_jiffies "$SERVER_CPU")
    read -r d0 d1 < <(core_jiffies "$LOAD_CPU")
    calc "100 * ($c0 - $a0 + $d0 - $b0) / ($c1 - $a1 + $d1 - $b1 + 1e-9)"
}

# rss_kb PID: VmRSS of the process in kB.
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status; }

# ---------------------------------------------------------------- ports, HTTP

# port_open PORT: something accepts connections on HOST:PORT.
port_open() {
    { exec 9<>"/dev/tcp/$HOST/$1"; } 2>/dev/null || return 1
    exec 9<&-
}

wait_port_free() { # wait_port_free PORT SECONDS
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        port_open "$1" || return 0
        sleep 0.1
    done
    die "port $1 still in use after $2 s"
}

# free_port FROM: the first port from FROM on that nothing listens on.
free_port() {
    local p
    for ((p = $1; p < $1 + 200; p++)); do
        port_open "$p" || {
            echo "$p"
            return 0
        }
    done
    die "no free port in $1..$(($1 + 199))"
}

# probe_healthz PORT: one GET /healthz over bash's /dev/tcp (no fork); true on 200.
probe_healthz() {
    local line=
    { exec 9<>"/dev/tcp/$HOST/$1"; } 2>/dev/null || return 1
    printf 'GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$HOST" >&9
    IFS= read -r -t 2 line <&9 || true
    exec 9<&-
    [[ $line == HTTP/1.[01]' 200'* ]]
}

# ---------------------------------------------------------------- servers

SERVER_PID=
declare -A LOG_OF=()    # server pid -> its log file
declare -A LOG_LINES=() # log file -> lines already counted and cut away

# trim_log FILE: count the log's lines and empty it (the server appends, so it
# goes on writing at the new end): a request log must not fill the disk.
trim_log() {
    local n
    n=$(wc -l <"$1")
    LOG_LINES[$1]=$((${LOG_LINES[$1]:-0} + n))
    : >"$1"
}

# log_lines FILE: lines the server has written to FILE in all.
log_lines() { echo $((${LOG_LINES[$1]:-0} + $(wc -l <"$1"))); }

# start_server NAME PORT [ARGS...]: run `serve` pinned to SERVER_CPU, wait for
# /healthz (at most 30 s); sets SERVER_PID. ARGS go to serve (e.g. --region sverige).
start_server() {
    local name=$1 port=$2 i
    shift 2
    port_open "$port" && die "port $port is in use (set SKK_BENCH_PORT)"
    taskset -c "$SERVER_CPU" "$BIN" serve --addr "$HOST:$port" --data "$DATA" "$@" \
        >>"$TMP/$name.log" 2>&1 </dev/null &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    LOG_OF[$SERVER_PID]=$TMP/$name.log
    for ((i = 0; i < 3000; i++)); do
        probe_healthz "$port" && {
            log "$name: pid $SERVER_PID on $HOST:$port"
            return 0
        }
        kill -0 "$SERVER_PID" 2>/dev/null || {
            tail -n 20 "$TMP/$name.log" >&2
            die "$name exited before answering /healthz"
        }
        sleep 0.01
    done
    die "$name: no /healthz answer in 30 s"
}

NGINX_PID=

# start_nginx PORT ROOTDIR: nginx with 1 worker pinned to SERVER_CPU serving
# ROOTDIR with gzip_static, temp config/pid/logs under $TMP/nginx; sets NGINX_PID.
start_nginx() {
    local port=$1 root=$2 dir=$TMP/nginx i
    mkdir -p "$dir/tmp"
    port_open "$port" && die "port $port is in use"
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log $([[ $NGINX_ACCESS_LOG == on ]] && echo "$dir/access.log" || echo off);
    types { application/geo+json geojson; }
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server {
        listen $HOST:$port;
        root $root;
        location / { gzip_static on; }
    }
}
EOF
    # The worker runs as nobody when we are root: let it read the files.
    chmod -R a+rX "$TMP"
    nginx -t -q -p "$dir" -c "$dir/nginx.conf" 2>"$dir/test.log" || {
        cat "$dir/test.log" >&2
        die "nginx rejected its config"
    }
    taskset -c "$SERVER_CPU" nginx -p "$dir" -c "$dir/nginx.conf" \
        >"$dir/stdout.log" 2>&1 </dev/null &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    for ((i = 0; i < 1000; i++)); do
        port_open "$port" && {
            log "nginx: pid $NGINX_PID on $HOST:$port"
            return 0
        }
        kill -0 "$NGINX_PID" 2>/dev/null || {
            cat "$dir/error.log" "$dir/stdout.log" >&2 2>/dev/null || true
            die "nginx exited"
        }
        sleep 0.01
    done
    die "nginx: not listening after 10 s"
}

# fetch_gzip URL FILE: GET with Accept-Encoding: gzip, raw body to FILE; checks
# 200 and Content-Encoding: gzip; prints the response headers to FILE.headers.
fetch_gzip() {
    local url=$1 file=$2 code
    code=$(curl -sS --max-time 30 -H "$GZIP_HDR" -D "$file.headers" -o "$file" -w '%{http_code}' "$url") ||
        die "GET $url failed"
    [[ $code == 200 ]] || die "GET $url: HTTP $code"
    grep -qi '^content-encoding: *gzip' "$file.headers" ||
        die "GET $url with '$GZIP_HDR': no Content-Encoding: gzip"
    gzip -t <"$file" || die "GET $url: body is not valid gzip"
}

# ---------------------------------------------------------------- load

# measure_wrk NAME URL PID HEADER [LUA ARGS...]: WARMUP s discarded, then
# REPEAT runs of DURATION s with wrk -t THREADS -c CONNS --latency pinned to
# LOAD_CPU, sending the requests benches/requests.lua builds from LUA ARGS
# (default: a fixed GET of URL's path). HEADER is one extra request header or "".
# PID is the server, for its CPU use. Sets, from the run with the median req/s:
# WRK_RPS WRK_P50_MS WRK_P99_MS WRK_REQUESTS WRK_NON2XX WRK_SOCKERR WRK_CPU_PCT
# WRK_OTHERS_PCT WRK_LOADCORE_PCT; records them for results.json under NAME.
declare -A MEAS=() # NAME.field -> value, for results.json
MEAS_NAMES=()

measure_wrk() {
    local name=$1 url=$2 pid=$3 header=$4
    shift 4
    local -a lua_args=("$@") wrk_args=(-t"$THREADS" -c"$CONNS" --timeout 5s -s "$LUA")
    if ((${#lua_args[@]} == 0)); then
        local path=/${url#*://*/}
        lua_args=(fixed "$path")
    fi
    [[ -n $header ]] && wrk_args+=(-H "$header")

    log "$name: wrk ${WARMUP} s + ${REPEAT} x ${DURATION} s, $THREADS thread(s), $CONNS connections: $url"
    run_wrk "$WARMUP" "${wrk_args[@]}" "$url" -- "${lua_args[@]}" >"$TMP/wrk-$name.warmup.txt"
    local i results=() all=()
    for ((i = 1; i <= REPEAT; i++)); do
        wrk_once "$TMP/wrk-$name.$i.txt" "$pid" "${wrk_args[@]}" "$url" -- "${lua_args[@]}"
        results+=("$WRK_RPS $WRK_P50_MS $WRK_P99_MS $WRK_REQUESTS $WRK_NON2XX $WRK_SOCKERR $WRK_CPU_PCT $WRK_OTHERS_PCT $WRK_LOADCORE_PCT")
        all+=("$WRK_RPS")
    done
    read -r WRK_RPS WRK_P50_MS WRK_P99_MS WRK_REQUESTS WRK_NON2XX WRK_SOCKERR WRK_CPU_PCT WRK_OTHERS_PCT \
        WRK_LOADCORE_PCT < <(printf '%s\n' "${results[@]}" | sort -g | sed -n "$(((REPEAT + 1) / 2))p")

    log "$name: $WRK_RPS req/s, p50 $WRK_P50_MS ms, p99 $WRK_P99_MS ms, non-2xx $WRK_NON2XX, socket errors $WRK_SOCKERR, server CPU $WRK_CPU_PCT %, others on its core $WRK_OTHERS_PCT %, load core $WRK_LOADCORE_PCT %"
    ((REPEAT == 1)) || log "$name: req/s of the $REPEAT runs: ${all[*]}"
    ((WRK_SOCKERR == 0)) || log "$name: WARNING: $WRK_SOCKERR socket errors"
    awk "BEGIN { exit !($WRK_OTHERS_PCT > 10) }" &&
        log "$name: WARNING: other processes used the server's core: figures unreliable"
    awk "BEGIN { exit !($WRK_LOADCORE_PCT > 95 && $WRK_CPU_PCT < 90) }" &&
        log "$name: WARNING: wrk's core was the limit, not the server: req/s is a lower bound"
    record "$name" rps "$WRK_RPS" requests "$WRK_REQUESTS" p50_ms "$WRK_P50_MS" p99_ms "$WRK_P99_MS" \
        non_2xx "$WRK_NON2XX" socket_errors "$WRK_SOCKERR" server_cpu_pct "$WRK_CPU_PCT" \
        others_on_server_core_pct "$WRK_OTHERS_PCT" load_core_pct "$WRK_LOADCORE_PCT" \
        rps_runs "[$(IFS=,; echo "${all[*]}")]"
}

# wrk_once OUT PID WRK_ARGS...: one measured run of `wrk --latency WRK_ARGS`
# into OUT; sets the WRK_* figures of that run.
wrk_once() {
    local out=$1 pid=$2
    shift 2
    local ticks0 t0 t1 ticks1 core0 core_t0 core1 core_t1 load0 load_t0 load1 load_t1
    ticks0=$(cpu_ticks "$pid")
    read -r core0 core_t0 < <(core_jiffies "$SERVER_CPU")
    read -r load0 load_t0 < <(core_jiffies "$LOAD_CPU")
    t0=${EPOCHREALTIME/[.,]/}
    run_wrk "$DURATION" --latency "$@" >"$out"
    t1=${EPOCHREALTIME/[.,]/}
    read -r core1 core_t1 < <(core_jiffies "$SERVER_CPU")
    read -r load1 load_t1 < <(core_jiffies "$LOAD_CPU")
    ticks1=$(cpu_ticks "$pid")
    [[ -z ${LOG_OF[$pid]:-} ]] || trim_log "${LOG_OF[$pid]}"

    WRK_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    WRK_REQUESTS=$(awk '/ requests in / { print $1 }' "$out")
    WRK_P50_MS=$(wrk_percentile_ms 50% "$out")
    WRK_P99_MS=$(wrk_percentile_ms 99% "$out")
    WRK_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    WRK_NON2XX=${WRK_NON2XX:-0}
    WRK_SOCKERR=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")
    WRK_SOCKERR=${WRK_SOCKERR:-0}
    [[ -n $WRK_RPS && -n $WRK_P99_MS ]] || {
        cat "$out" >&2
        die "could not read wrk's output $out"
    }
    WRK_CPU_PCT=$(calc "($ticks1 - $ticks0) * 100 / $CLK_TCK / (($t1 - $t0) / 1e6)")
    # Busy time of the server's core that was not the server's: other processes.
    WRK_OTHERS_PCT=$(calc "100 * ($core1 - $core0) / ($core_t1 - $core_t0 + 1e-9) - $WRK_CPU_PCT")
    # How busy the load generator's core was: near 100 % means wrk may be the limit.
    WRK_LOADCORE_PCT=$(calc "100 * ($load1 - $load0) / ($load_t1 - $load_t0 + 1e-9)")
}

# run_wrk SECONDS ARGS...: one bounded wrk run on LOAD_CPU.
run_wrk() {
    local secs=$1
    shift
    timeout --kill-after=5 $((secs + 30)) taskset -c "$LOAD_CPU" wrk -d"${secs}s" "$@" ||
        die "wrk failed (exit $?): wrk $*"
}

# wrk_percentile_ms 99% FILE: a latency percentile from wrk --latency, in ms.
wrk_percentile_ms() {
    awk -v p="$1" '
        $1 == p && $2 ~ /^[0-9.]+(us|ms|s|m|h)$/ {
            v = $2; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
            f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 3600000
            printf "%.3f\n", v * f; exit
        }' "$2"
}

# record NAME KEY VALUE [KEY VALUE...]: keep figures for results.json.
record() {
    local name=$1
    shift
    [[ " ${MEAS_NAMES[*]} " == *" $name "* ]] || MEAS_NAMES+=("$name")
    while (($# >= 2)); do
        MEAS[$name.$1]=$2
        shift 2
    done
}

# cold_start NAME RUNS [ARGS...]: RUNS times, start `serve ARGS` and time until
# /healthz first answers 200 (tight /dev/tcp loop, no forks, µs clock), then
# stop it. Sets COLD_MEDIAN_MS and COLD_ALL_MS.
cold_start() {
    local name=$1 runs=$2 i t0 t1 pid
    shift 2
    local -a times=()
    for ((i = 1; i <= runs; i++)); do
        wait_port_free "$PORT" 10
        t0=${EPOCHREALTIME/[.,]/}
        taskset -c "$SERVER_CPU" "$BIN" serve --addr "$HOST:$PORT" --data "$DATA" "$@" \
            >"$TMP/$name-$i.log" 2>&1 </dev/null &
        pid=$!
        PIDS+=("$pid")
        until probe_healthz "$PORT"; do
            kill -0 "$pid" 2>/dev/null || {
                tail -n 20 "$TMP/$name-$i.log" >&2
                die "$name: server exited before answering /healthz"
            }
            t1=${EPOCHREALTIME/[.,]/}
            ((t1 - t0 < 30000000)) || die "$name: no /healthz answer in 30 s"
        done
        t1=${EPOCHREALTIME/[.,]/}
        times+=("$(calc "($t1 - $t0) / 1000")")
        stop_pid "$pid"
    done
    COLD_ALL_MS=$(printf '%s\n' "${times[@]}" | sort -g | tr '\n' ' ')
    COLD_MEDIAN_MS=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END {
        print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    log "$name: cold start median $COLD_MEDIAN_MS ms of ${COLD_ALL_MS% }"
    record "$name" median_ms "$COLD_MEDIAN_MS" runs_ms "[$(IFS=,; echo "${times[*]}")]"
}

# ---------------------------------------------------------------- results

ROWS=() # id|label|value|unit|peer label|peer value|ratio|target text|verdict
MISSES=0

# add_row ID LABEL VALUE UNIT PEER_LABEL PEER_VALUE CHECK TARGET
# CHECK: ratio_ge (value/peer >= TARGET), lt (value < TARGET), info (no target).
add_row() {
    local id=$1 label=$2 value=$3 unit=$4 peer_label=$5 peer=$6 check=$7 target=${8:-}
    local ratio='' ok='' text=''
    if [[ -n $peer && -n $value ]] && awk "BEGIN { exit !($peer > 0) }"; then
        ratio=$(calc "$value / $peer")
    fi
    case $check in
    ratio_ge)
        text="ratio >= $target"
        [[ -n $ratio ]] && ok=$(awk "BEGIN { print ($ratio >= $target) ? \"PASS\" : \"MISS\" }")
        ;;
    lt)
        text="< $target $unit"
        [[ -n $value ]] && ok=$(awk "BEGIN { print ($value < $target) ? \"PASS\" : \"MISS\" }")
        ;;
    info) text="-" ok="info" ;;
    *) die "add_row: unknown check $check" ;;
    esac
    ok=${ok:-MISS}
    [[ $ok == MISS ]] && MISSES=$((MISSES + 1))
    ROWS+=("$id|$label|$value|$unit|$peer_label|$peer|$ratio|$text|$ok|$check|$target")
}

fmt_num() { if [[ -z $1 ]]; then echo "-"; return; fi; awk -v v="$1" 'BEGIN {
    if (v >= 1000) printf "%.0f", v; else if (v >= 10) printf "%.1f", v; else printf "%.3f", v }'; }

print_table() {
    local row id label value unit peer_label peer ratio text ok _c _t
    local fmt='%-2s %-32s %10s %-5s  %-18s %10s  %6s  %-15s %s\n'
    # shellcheck disable=SC2059 # the format is ours
    printf "\n$fmt" "" "measure" "ours" "" "peer" "" "ratio" "target" "result"
    printf '%s\n' "$(printf '%.0s-' {1..114})"
    for row in "${ROWS[@]}"; do
        IFS='|' read -r id label value unit peer_label peer ratio text ok _c _t <<<"$row"
        # shellcheck disable=SC2059
        printf "$fmt" "$id" "$label" \
            "$(fmt_num "$value")" "$unit" "${peer_label:--}" "$(fmt_num "$peer")" \
            "$(fmt_num "$ratio")" "$text" "$ok"
    done
    echo
}

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
json_num() { [[ -z $1 ]] && printf 'null' || printf '%s' "$1"; }

write_json() {
    local file=$1 row id label value unit peer_label peer ratio text ok check target sep name key
    mkdir -p "$(dirname "$file")"
    {
        printf '{\n  "meta": {'
        printf '"date": %s, ' "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
        printf '"commit": %s, ' "$(json_str "$(git rev-parse --short HEAD 2>/dev/null || echo none)")"
        printf '"host_cpus": %s, "server_cpu": %s, "load_cpu": %s, ' "$CPUS" "$SERVER_CPU" "$LOAD_CPU"
        printf '"repeat": %s, ' "$REPEAT"
        printf '"duration_s": %s, "warmup_s": %s, "wrk_threads": %s, "wrk_connections": %s, ' \
            "$DURATION" "$WARMUP" "$THREADS" "$CONNS"
        printf '"seed": %s, "data": %s, ' "$SEED" "$(json_str "$DATA")"
        printf '"rust_log": %s, "nginx_access_log": %s, ' "$(json_str "${RUST_LOG:-}")" \
            "$(json_str "$NGINX_ACCESS_LOG")"
        printf '"busy_before_pct": %s, "loadavg_end": %s, ' "$IDLE_BUSY_PCT" \
            "$(json_str "$(cut -d' ' -f1-3 /proc/loadavg)")"
        printf '"wrk": %s, ' "$(json_str "$(wrk -v 2>&1 | head -n1 | awk '{ print $2 }')")"
        printf '"nginx": %s},\n' "$(json_str "$(nginx -v 2>&1 | sed 's/.*: //')")"
        printf '  "rows": [\n'
        sep=
        for row in "${ROWS[@]}"; do
            IFS='|' read -r id label value unit peer_label peer ratio text ok check target <<<"$row"
            printf '%s    {"id": %s, "label": %s, "value": %s, "unit": %s, "peer": %s, "peer_value": %s, ' \
                "$sep" "$(json_str "$id")" "$(json_str "$label")" "$(json_num "$value")" \
                "$(json_str "$unit")" "$(json_str "$peer_label")" "$(json_num "$peer")"
            printf '"ratio": %s, "check": %s, "target": %s, "result": %s}' "$(json_num "$ratio")" \
                "$(json_str "$check")" "$(json_num "$target")" "$(json_str "$ok")"
            sep=$',\n'
        done
        printf '\n  ],\n  "measurements": {\n'
        sep=
        for name in "${MEAS_NAMES[@]}"; do
            printf '%s    %s: {' "$sep" "$(json_str "$name")"
            local fsep=
            for key in "${!MEAS[@]}"; do
                [[ $key == "$name".* ]] || continue
                printf '%s%s: %s' "$fsep" "$(json_str "${key#"$name".}")" "$(json_num "${MEAS[$key]}")"
                fsep=', '
            done
            printf '}'
            sep=$',\n'
        done
        printf '\n  }\n}\n'
    } >"$file"
}

# ---------------------------------------------------------------- benches

# a + b on the default region (the shipped configuration).
bench_default_region() {
    local base=http://$HOST:$PORT www=$TMP/www nport pid
    start_server default "$PORT"
    pid=$SERVER_PID

    # a. kommuner GeoJSON, gzip: ours vs nginx gzip_static on the same bytes.
    mkdir -p "$www"
    fetch_gzip "$base/api/v1/kommuner" "$www/kommuner.geojson.gz"
    : >"$www/kommuner.geojson"
    local gz_bytes
    gz_bytes=$(stat -c %s "$www/kommuner.geojson.gz")
    log "kommuner: $gz_bytes gzip bytes ($(gzip -dc <"$www/kommuner.geojson.gz" | wc -c) plain), ETag $(
        awk 'tolower($1) == "etag:" { print $2 }' "$www/kommuner.geojson.gz.headers" | tr -d '\r')"
    record kommuner_gzip_bytes value "$gz_bytes"
    nport=$(free_port $((PORT + 1)))
    start_nginx "$nport" "$www"
    fetch_gzip "http://$HOST:$nport/kommuner.geojson" "$TMP/nginx-check.gz"
    cmp -s "$TMP/nginx-check.gz" "$www/kommuner.geojson.gz" || die "nginx serves other bytes than ours"

    measure_wrk kommuner_ours "$base/api/v1/kommuner" "$pid" "$GZIP_HDR"
    ((WRK_NON2XX == 0)) || die "kommuner: $WRK_NON2XX non-2xx answers"
    local ours=$WRK_RPS
    measure_wrk kommuner_nginx "http://$HOST:$nport/kommuner.geojson" "$NGINX_PID" "$GZIP_HDR"
    local nginx=$WRK_RPS
    stop_pid "$NGINX_PID"
    add_row a "kommuner GeoJSON gzip, req/s" "$ours" "req/s" "nginx gzip_static" "$nginx" ratio_ge 0.95

    # b. locate at random points vs the trivial handler.
    measure_wrk locate "$base/api/v1/locate" "$pid" "" \
        locate "$SEED" "$LAT_MIN" "$LAT_MAX" "$LON_MIN" "$LON_MAX"
    local loc_rps=$WRK_RPS loc_p99=$WRK_P99_MS loc_404=$WRK_NON2XX
    measure_wrk healthz "$base/healthz" "$pid" ""
    add_row b "locate random points, req/s" "$loc_rps" "req/s" "/healthz" "$WRK_RPS" ratio_ge 0.7
    add_row b "locate random points, p99" "$loc_p99" "ms" "/healthz p99" "$WRK_P99_MS" lt 1
    log "locate: $loc_404 of ${MEAS[locate.requests]} answers were not 2xx (points outside the region: 404)"
    # The p99 above includes queueing behind CONNS connections on one core;
    # with one connection it is the handler's own tail.
    CONNS=1 measure_wrk locate_c1 "$base/api/v1/locate" "$pid" "" \
        locate "$SEED" "$LAT_MIN" "$LAT_MAX" "$LON_MIN" "$LON_MAX"
    add_row - "locate p99, 1 connection (info)" "$WRK_P99_MS" "ms" "" "" info

    local lines
    lines=$(log_lines "$TMP/default.log")
    log "the server wrote $lines log lines (RUST_LOG=${RUST_LOG:-unset}; nginx access log $NGINX_ACCESS_LOG)"
    record default_region log_lines "$lines"
    DEFAULT_RSS_KB=$(rss_kb "$pid")
    record default_region rss_kb "$DEFAULT_RSS_KB" vmhwm_kb "$(awk '/^VmHWM:/ { print $2 }' /proc/"$pid"/status)"
    stop_pid "$pid"
}

# c. cold start, sverige vs the default region.
bench_cold_start() {
    cold_start cold_default "$COLD_RUNS"
    local peer=$COLD_MEDIAN_MS
    cold_start cold_sverige "$COLD_RUNS" --region sverige
    add_row c "cold start to /healthz, sverige" "$COLD_MEDIAN_MS" "ms" "default region" "$peer" lt 300
}

# d. RSS of the sverige server after load (WARM_LOAD s of each load).
bench_sverige_rss() {
    local base=http://$HOST:$PORT pid
    wait_port_free "$PORT" 10
    start_server sverige "$PORT" --region sverige
    pid=$SERVER_PID
    local rss0
    rss0=$(rss_kb "$pid")
    REPEAT=1 DURATION=$WARM_LOAD measure_wrk sverige_kommuner "$base/api/v1/kommuner" "$pid" "$GZIP_HDR"
    REPEAT=1 DURATION=$WARM_LOAD measure_wrk sverige_locate "$base/api/v1/locate" "$pid" "" \
        locate "$SEED" "$LAT_MIN" "$LAT_MAX" "$LON_MIN" "$LON_MAX"
    local rss
    rss=$(rss_kb "$pid")
    record sverige rss_idle_kb "$rss0" rss_kb "$rss" vmhwm_kb "$(awk '/^VmHWM:/ { print $2 }' /proc/"$pid"/status)"
    stop_pid "$pid"
    add_row d "RSS after load, sverige" "$(calc "$rss / 1024")" "MiB" "default region" \
        "$(calc "$DEFAULT_RSS_KB / 1024")" lt 64
    add_row - "locate req/s, sverige (info)" "${MEAS[sverige_locate.rps]}" "req/s" "" "" info
}

# e + f. The pages: the kommun page vs the trivial handler, and what the first
# map page costs a browser to load (the page, every asset it links, and the
# kommun GeoJSON the script fetches), gzip.
bench_pages() {
    local base=http://$HOST:$PORT pid
    wait_port_free "$PORT" 10
    start_server pages "$PORT"
    pid=$SERVER_PID
    measure_wrk kommun_page "$base/kommun/1496" "$pid" "$GZIP_HDR"
    ((WRK_NON2XX == 0)) || die "kommun page: $WRK_NON2XX non-2xx answers"
    local page_rps=$WRK_RPS
    measure_wrk healthz_pages "$base/healthz" "$pid" ""
    add_row e "kommun page (HTML, gzip), req/s" "$page_rps" "req/s" "/healthz" "$WRK_RPS" ratio_ge 0.5

    local total=0 url bytes
    for url in / $(curl -s "$base/" | grep -o '/assets/[^"]*') '/api/v1/kommuner?detail=medium'; do
        bytes=$(curl -s -H "$GZIP_HDR" -o /dev/null -w '%{size_download}' "$base$url")
        log "first map page: $url $bytes bytes (gzip)"
        total=$((total + bytes))
    done
    record map_page transfer_bytes "$total"
    stop_pid "$pid"
    add_row f "first map page + assets, gzip" "$(calc "$total / 1024")" "KB" "" "" lt 150
}

# g. OGC items (kommuner, limit 15, full geometry) vs pygeoapi (gunicorn, 1 sync worker, same
#    core) serving the same kommuner.geojson file; h. the full long-table CSV export. pygeoapi is
#    installed with pip in a venv (SKK_BENCH_VENV, default target/bench-venv) on first use.
bench_ogc_export() {
    local base=http://$HOST:$PORT pid venv=${SKK_BENCH_VENV:-$ROOT/target/bench-venv}
    local items="/ogc/collections/kommuner/items?limit=15&f=json"
    local export="/api/v1/export/erbjudanden?profil=excel"
    wait_port_free "$PORT" 10
    start_server ogc "$PORT"
    pid=$SERVER_PID
    # The first export request builds the table and its body (then cached per snapshot).
    local first_ms bytes rows
    first_ms=$(curl -sS --max-time 30 -o "$TMP/export.csv" -w '%{time_total}' "$base$export" |
        awk '{ print $1 * 1000 }')
    bytes=$(stat -c %s "$TMP/export.csv")
    rows=$(($(wc -l <"$TMP/export.csv") - 1))
    log "export: $rows rows, $bytes bytes, first (building) request $first_ms ms"
    measure_wrk ogc_ours "$base$items" "$pid" ""
    ((WRK_NON2XX == 0)) || die "ogc items: $WRK_NON2XX non-2xx answers"
    local ours=$WRK_RPS
    measure_wrk export_csv "$base$export" "$pid" ""
    ((WRK_NON2XX == 0)) || die "export: $WRK_NON2XX non-2xx answers"
    local export_rps=$WRK_RPS
    stop_pid "$pid"

    if [[ ! -x $venv/bin/gunicorn || ! -x $venv/bin/pygeoapi ]]; then
        log "installing pygeoapi and gunicorn into $venv (PyPI)"
        python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
        "$venv/bin/pip" install -q pygeoapi gunicorn || die "pip install pygeoapi gunicorn failed"
    fi
    local pport dir=$TMP/pygeoapi geojson=$DATA/kommuner.geojson
    [[ $geojson == /* ]] || geojson=$ROOT/$geojson
    pport=$(free_port $((PORT + 1)))
    mkdir -p "$dir"
    sed -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$pport|g" -e "s|@DATA@|$geojson|g" \
        "$ROOT/benches/pygeoapi.yml" >"$dir/config.yml"
    (cd "$dir" && "$venv/bin/pygeoapi" openapi generate config.yml --output-file openapi.yml >/dev/null 2>&1) ||
        die "pygeoapi could not generate its OpenAPI document"
    (cd "$dir" && PYGEOAPI_CONFIG=config.yml PYGEOAPI_OPENAPI=openapi.yml exec taskset -c "$SERVER_CPU" \
        "$venv/bin/gunicorn" -w 1 -b "$HOST:$pport" pygeoapi.flask_app:APP >"$dir/gunicorn.log" 2>&1 </dev/null) &
    local gpid=$! i n
    PIDS+=("$gpid")
    for ((i = 0; i < 300; i++)); do
        port_open "$pport" && break
        sleep 0.1
    done
    port_open "$pport" || die "pygeoapi did not start (see $dir/gunicorn.log)"
    # pygeoapi serves the same request at its root.
    local peer_items=http://$HOST:$pport${items#/ogc}
    n=$(curl -sS --max-time 30 "$peer_items" | grep -o '"type": *"Feature"' | wc -l)
    ((n == 15)) || die "pygeoapi answered $n features, not 15"
    measure_wrk ogc_pygeoapi "$peer_items" "$gpid" ""
    local peer=$WRK_RPS
    stop_pid "$gpid"
    add_row g "OGC items kommuner limit 15, req/s" "$ours" "req/s" "pygeoapi" "$peer" ratio_ge 50
    add_row h "long-table CSV export, req/s" "$export_rps" "req/s" "" "" info
    add_row h "long-table CSV export, MB/s" "$(calc "$export_rps * $bytes / 1e6")" "MB/s" "" "" info
    add_row h "long-table CSV export, rows/s" "$(calc "$export_rps * $rows")" "rows/s" "" "" info
    add_row h "export first request (builds)" "$first_ms" "ms" "" "" info
}

# ---------------------------------------------------------------- main

main() {
    "$ROOT/tools/deps.sh" bench

    if [[ -z $BIN ]]; then
        log "building the release binary"
        cargo build --release --quiet
        BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/skaraborgskartan
    fi
    [[ -x $BIN ]] || die "no binary at $BIN"
    [[ -f $DATA/dataset.toml ]] || die "no data set at $DATA"

    CPUS=$(nproc)
    if ((CPUS < 2)); then
        SERVER_CPU=0 LOAD_CPU=0
    fi
    if ((SERVER_CPU == LOAD_CPU)); then
        log "WARNING: $CPUS CPU(s), server and load share a core: figures are not comparable"
    fi
    # This script, curl and wrk stay off the server's core.
    taskset -cp "$LOAD_CPU" $$ >/dev/null

    CLK_TCK=$(getconf CLK_TCK)
    TMP=$(mktemp -d /tmp/skk-bench.XXXXXX)
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    port_open "$PORT" && die "port $PORT is in use: set SKK_BENCH_PORT"
    IDLE_BUSY_PCT=$(machine_busy_pct 1)
    log "before the benches, the machine was $IDLE_BUSY_PCT % busy (both cores, 1 s)"
    awk "BEGIN { exit !($IDLE_BUSY_PCT > 10) }" &&
        log "WARNING: something else is using the CPU (a build?): figures will be unreliable"

    bench_default_region
    bench_cold_start
    bench_sverige_rss
    bench_pages
    bench_ogc_export

    print_table
    write_json "$OUT_DIR/results.json"
    log "wrote $OUT_DIR/results.json"
    if ((MISSES > 0)); then
        log "$MISSES target(s) missed"
        [[ $STRICT == 1 ]] && exit 1
    fi
    return 0
}

# Run unless sourced (sourcing gives the functions, e.g. for trying one bench).
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
