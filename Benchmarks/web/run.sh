#!/usr/bin/env bash
# The web app under load: the cases page and the escalate page, 50 signed-in clients
# (50 connections, 50 sessions), over the 1,000,000-item store the escalate
# benchmark builds; and a 10,000-line paste through the new-batch page.
#
#   Benchmarks/web/run.sh [ITEMS] [SECONDS]
#
# Requests rotate over the 50 sessions (cookies.lua).
# Builds urltriage in release (scratch path $SCRATCH, default .build-esc, shared with
# Benchmarks/escalate so the store is made once), copies that store (the benchmark
# adds sessions to it), starts `urltriage serve` on loopback, signs in 50 times, and
# runs wrk (Debian's package) for SECONDS (default 30) per page with 50 connections on
# 2 threads. wrk's latency is measured at the client on the same loopback, so it
# includes the server's time and the loopback round trip. Peak RSS of the server from
# /proc. Prints a Markdown table and keeps it in Benchmarks/.data/web-ITEMS/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ITEMS=${1:-1000000}
SECONDS_PER_PAGE=${2:-30}
SCRATCH=${SCRATCH:-.build-esc}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

# The store, as Benchmarks/escalate/run.sh makes it (it also builds urltriage in release).
Benchmarks/escalate/run.sh "$ITEMS" 1 >/dev/null
BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/urltriage
DATA=Benchmarks/.data/web-$ITEMS
mkdir -p "$DATA"
STORE=$DATA/cases.sqlite
cp Benchmarks/.data/escalate-$ITEMS/cases.sqlite "$STORE"
rm -f "$STORE-wal" "$STORE-shm"

PASSWORD=benchmark-password
echo "$PASSWORD" | "$BIN" user add bench --role caseworker --db "$STORE" >/dev/null 2>&1 || true
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --db "$STORE" --listen "127.0.0.1:$PORT" 2> "$DATA/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q serving "$DATA/serve.err" && break; sleep 0.1; done

# 50 sessions: each connection of wrk sends its own cookie (cookies.lua).
python3 Benchmarks/web/sign_in.py "http://127.0.0.1:$PORT" bench "$PASSWORD" 50 > "$DATA/cookies.txt"

run() {  # name path
  wrk -t2 -c50 -d"${SECONDS_PER_PAGE}s" --latency -s Benchmarks/web/cookies.lua "http://127.0.0.1:$PORT$2" -- "$DATA/cookies.txt" \
    > "$DATA/$1.wrk"
  python3 Benchmarks/web/wrk_row.py "$1" "$2" "$DATA/$1.wrk"
}

PASTE=$(python3 Benchmarks/web/paste.py "http://127.0.0.1:$PORT" bench "$PASSWORD" 10000 "$DATA/paste.txt")

{
  echo "Store: $ITEMS items (Benchmarks/escalate's, copied). Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "wrk -t2 -c50 -d${SECONDS_PER_PAGE}s, requests rotating over 50 sessions, loopback."
  echo
  echo "| page | requests/s | median | p90 | p99 |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  run cases "/cases"
  run cases-filtered "/cases?platform=youtube&status=live"
  run escalate "/escalate"
  echo
  echo "New batch: $PASTE"
  echo "Server peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$SERVER/status)"
} | tee "$DATA/results.md"
