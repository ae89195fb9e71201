#!/usr/bin/env bash
# The one command behind the "Liveness" figures in BENCHMARKS.md.
#
#   Benchmarks/liveness/run.sh [--urls N] [--delay MS] [--runs N] [--inflight N]
#                              [--no-build] [--skip-peers]
#
#   --urls N      URLs in the throughput runs (default 10000), over 20 host names
#   --delay MS    the test server answers after MS milliseconds (default 100)
#   --runs N      timed runs per checker (default 3; medians reported)
#   --inflight N  URLs (and the concurrency) of the in-flight run (default 10000)
#   --no-build    use $URLTRIAGE_BIN and $TESTSERVER_BIN (or the release build) as they are
#   --skip-peers  do not run curl --parallel and aiohttp
#
# What it does:
#   1. prints the machine; builds urltriage and urltriage-testserver in release;
#   2. starts the test server on loopback, answering every host after --delay;
#   3. throughput: checks N URLs over 20 hosts with --per-host 4 and
#      --concurrency 80 (20 x 4) and no host interval, so the ideal is
#      20 x 4 / delay checks per second; with the epoll (socket-action) loop
#      and with the curl_multi_poll loop; then `curl --parallel
#      --parallel-max 80` and aiohttp_check.py (limit 80, limit_per_host 4)
#      on the same list; each timed by measure.py (wall, CPU, peak RSS);
#   4. in flight: a second server answering after 5 s; --inflight URLs with
#      that concurrency (and per-host share), to see how many transfers are in
#      flight at once and what each costs in memory;
#   5. prints a Markdown report (also saved under Benchmarks/.data/liveness/).
# The throughput runs use http: the point is the engine, not TLS.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-python3}"
URLS=10000
DELAY=100
RUNS=3
INFLIGHT=10000
INFLIGHT_DELAY=5000
HOSTS=20
PER_HOST=4
BUILD=1
PEERS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --urls) URLS="$2"; shift 2 ;;
    --delay) DELAY="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --inflight) INFLIGHT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --skip-peers) PEERS=0; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

SCRATCH="${SCRATCH_PATH:-$ROOT/.build-bench}"
DATA="$ROOT/Benchmarks/.data/liveness"
mkdir -p "$DATA"
RESULTS="$DATA/results.jsonl"
: > "$RESULTS"
CONCURRENCY=$((HOSTS * PER_HOST))

# Each transfer and each server connection needs a descriptor.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r); $(swift --version 2>&1 | head -1); libcurl $(curl-config --version 2>/dev/null || echo '?'); $("$PY" --version)"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); open files limit $(ulimit -n)"
} | tee "$DATA/machine.txt" >&2

if [ "$BUILD" = 1 ]; then
  echo "building (release) ..." >&2
  (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product urltriage >&2 &&
                 swift build -c release --scratch-path "$SCRATCH" --product urltriage-testserver >&2)
fi
BIN="${URLTRIAGE_BIN:-$SCRATCH/release/urltriage}"
SERVER_BIN="${TESTSERVER_BIN:-$SCRATCH/release/urltriage-testserver}"

SERVER_PIDS=()
cleanup() { for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_server DELAY_MS: starts a server, sets PORT.
start_server() {
  local log="$DATA/server-$1.log"
  "$SERVER_BIN" --delay "$1" --threads 2 > "$log" 2>&1 &
  SERVER_PIDS+=($!)
  for _ in $(seq 1 100); do
    PORT="$(grep -o 'connect-to: ::127.0.0.1:[0-9]*' "$log" 2>/dev/null | grep -o '[0-9]*$' || true)"
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "run.sh: the test server did not start; see $log" >&2
  exit 1
}

# record NAME KIND FILE-WITH-MEASURE-JSON [EXTRA-JSON]
record() {
  "$PY" - "$1" "$2" "$3" "${4:-{\}}" >> "$RESULTS" <<'PYEOF'
import json, sys
name, kind, path, extra = sys.argv[1:5]
entry = json.load(open(path))
entry.update({"name": name, "kind": kind}, **json.loads(extra))
print(json.dumps(entry))
PYEOF
}

"$PY" "$HERE/urls.py" --count "$URLS" --hosts "$HOSTS" > "$DATA/urls.txt"
"$PY" "$HERE/urls.py" --count "$URLS" --hosts "$HOSTS" --curl > "$DATA/urls.curl"
"$PY" "$HERE/urls.py" --count "$INFLIGHT" --hosts "$HOSTS" > "$DATA/inflight.txt"

start_server "$DELAY"
echo "server on port $PORT, answering after $DELAY ms" >&2

# MARK: throughput
for loop in epoll poll; do
  for run in $(seq 1 "$RUNS"); do
    echo "urltriage ($loop) run $run ..." >&2
    "$PY" "$HERE/measure.py" --stdout "$DATA/check-$loop.jsonl" --stderr "$DATA/check-$loop.summary" -- \
      "$BIN" check "$DATA/urls.txt" --input-format text --rules "$ROOT/rules" --format jsonl \
      --connect-to "::127.0.0.1:$PORT" --allow-private --concurrency "$CONCURRENCY" --per-host "$PER_HOST" \
      --host-interval 0 --event-loop "$loop" > "$DATA/measure.json"
    live=$(grep -c '"verdict":"live"' "$DATA/check-$loop.jsonl" || true)
    peak=$(grep -o 'at most [0-9]* in flight' "$DATA/check-$loop.summary" | grep -o '[0-9]*')
    record "urltriage check ($loop)" throughput "$DATA/measure.json" "{\"ok\": $live, \"peak\": ${peak:-0}}"
  done
done

if [ "$PEERS" = 1 ]; then
  for run in $(seq 1 "$RUNS"); do
    echo "curl --parallel run $run ..." >&2
    "$PY" "$HERE/measure.py" --stdout "$DATA/curl.out" -- \
      curl --parallel --parallel-max "$CONCURRENCY" --connect-to "::127.0.0.1:$PORT" -s -w '%{http_code}\n' \
      -K "$DATA/urls.curl" > "$DATA/measure.json"
    ok=$(grep -c '^200$' "$DATA/curl.out" || true)
    record "curl --parallel --parallel-max $CONCURRENCY" throughput "$DATA/measure.json" "{\"ok\": $ok}"
  done
  if ! "$PY" -c 'import aiohttp' 2>/dev/null; then
    echo "installing aiohttp ..." >&2
    "$PY" -m pip install --quiet aiohttp >&2
  fi
  for run in $(seq 1 "$RUNS"); do
    echo "aiohttp run $run ..." >&2
    "$PY" "$HERE/measure.py" --stdout "$DATA/aiohttp.out" -- \
      "$PY" "$HERE/aiohttp_check.py" "$DATA/urls.txt" --port "$PORT" --concurrency "$CONCURRENCY" \
      --per-host "$PER_HOST" > "$DATA/measure.json"
    ok=$(grep -c $'\t200$' "$DATA/aiohttp.out" || true)
    record "aiohttp (limit $CONCURRENCY, limit_per_host $PER_HOST, a semaphore per host)" throughput "$DATA/measure.json" "{\"ok\": $ok}"
  done
fi

# MARK: in flight
start_server "$INFLIGHT_DELAY"
echo "in-flight server on port $PORT, answering after $INFLIGHT_DELAY ms" >&2
for loop in epoll poll; do
  echo "urltriage ($loop) with $INFLIGHT in flight ..." >&2
  "$PY" "$HERE/measure.py" --stdout "$DATA/inflight-$loop.jsonl" --stderr "$DATA/inflight-$loop.summary" -- \
    "$BIN" check "$DATA/inflight.txt" --input-format text --rules "$ROOT/rules" --format jsonl \
    --connect-to "::127.0.0.1:$PORT" --allow-private --concurrency "$INFLIGHT" --per-host $(( (INFLIGHT + HOSTS - 1) / HOSTS )) \
    --host-interval 0 --timeout 120 --connect-timeout 60 --event-loop "$loop" > "$DATA/measure.json"
  live=$(grep -c '"verdict":"live"' "$DATA/inflight-$loop.jsonl" || true)
  peak=$(grep -o 'at most [0-9]* in flight' "$DATA/inflight-$loop.summary" | grep -o '[0-9]*')
  record "urltriage check ($loop)" inflight "$DATA/measure.json" "{\"ok\": $live, \"peak\": ${peak:-0}}"
done

"$PY" "$HERE/table.py" "$RESULTS" --urls "$URLS" --hosts "$HOSTS" --per-host "$PER_HOST" --delay "$DELAY" \
  --inflight "$INFLIGHT" --inflight-delay "$INFLIGHT_DELAY" --machine "$DATA/machine.txt" | tee "$DATA/report.md"
