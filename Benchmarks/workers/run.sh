#!/usr/bin/env bash
# Checker workers sharing one store (issue 11), SQLite or (--store postgres) PostgreSQL:
# ITEMS due items over 20 hosts,
# the test server answering each after DELAY ms, one round with 1, 2 and 4
# `urltriage recheck --worker` processes started together. Prints the median run's wall
# time, throughput, the ratio to one worker, and the ceiling the per-host and
# concurrency limits set (workers x min(concurrency, 20 x per-host) / delay).
#
#   SCRATCH=.build-rel Benchmarks/workers/run.sh [--items N] [--delay MS] [--workers "1 2 4"]
#                                                [--per-host N] [--concurrency N] [--runs N] [--no-build]
#                                                [--store sqlite|postgres]
#
# With --store postgres the store is a database on $URLTRIAGE_TEST_PG (else a throwaway
# cluster of .ci/postgres): the items are ingested once into a template database, and each
# run's store is a new database made from it (CREATE DATABASE … TEMPLATE).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ITEMS=20000
DELAY=200
WORKERS="1 2 4"
PER_HOST=4
CONCURRENCY=64
RUNS=1
BUILD=1
STORE=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
    --items) ITEMS="$2"; shift 2 ;;
    --delay) DELAY="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --per-host) PER_HOST="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --store) STORE="$2"; shift 2 ;;
    *) echo "workers/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

SCRATCH="${SCRATCH:-.build-rel}"
DATA="$ROOT/Benchmarks/.data/workers"
mkdir -p "$DATA"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(uptime | sed 's/.*load average: //')" >&2
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product urltriage >&2 &&
                 swift build -c release --scratch-path "$SCRATCH" --product urltriage-testserver >&2)
fi
BIN="$ROOT/$SCRATCH/release/urltriage"
SERVER_BIN="$ROOT/$SCRATCH/release/urltriage-testserver"

case "$STORE" in
  sqlite) ;;
  postgres)
    cd "$ROOT"
    . Benchmarks/postgres-server.sh
    export PGOPTIONS='-c client_min_messages=warning'
    ;;
  *) echo "workers/run.sh: --store is sqlite or postgres, not $STORE" >&2; exit 2 ;;
esac

SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  if [ "$STORE" = postgres ]; then
    psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_workers_run" -c "DROP DATABASE IF EXISTS bench_workers_template" \
      >/dev/null 2>&1 || true
    postgres_server_stop
  fi
  true
}
trap cleanup EXIT
"$SERVER_BIN" --delay "$DELAY" --threads 2 > "$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do grep -q '^connect-to:' "$DATA/server.log" 2>/dev/null && break; sleep 0.1; done
CONNECT="$(sed -n 's/^connect-to: //p' "$DATA/server.log")"

# One store with every item due, copied for each run.
awk -v n="$ITEMS" 'BEGIN { for (i = 0; i < n; i++) printf "http://h%02d.bench.example/item/%d\n", i % 20 + 1, i }' > "$DATA/items.txt"
rm -f "$DATA/template.sqlite"*
if [ "$STORE" = postgres ]; then
  psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_workers_run" -c "DROP DATABASE IF EXISTS bench_workers_template" \
    -c "CREATE DATABASE bench_workers_template" > /dev/null
  "$BIN" ingest "$DATA/items.txt" --db "$BASE/bench_workers_template" --rules "$ROOT/rules" > /dev/null
  STORE_DB="$BASE/bench_workers_run"
else
  "$BIN" ingest "$DATA/items.txt" --db "$DATA/template.sqlite" --rules "$ROOT/rules" > /dev/null
  # Into the file itself: the copy below takes the file alone, not its write-ahead log.
  sqlite3 "$DATA/template.sqlite" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
  STORE_DB="$DATA/run.sqlite"
fi
# The checks the run recorded, and how many items were checked more than once.
count_checks() {
  local sql="SELECT count(*) || ' ' || (count(*) - count(DISTINCT item_id)) FROM checks"
  if [ "$STORE" = postgres ]; then psql -qtA "$STORE_DB" -c "$sql"; else sqlite3 "$DATA/run.sqlite" "$sql"; fi
}

printf '%-8s %10s %12s %10s %10s %12s\n' workers "wall s" "items/s" "ratio" "0.9 x N" "ceiling/s"
BASE=""
for n in $WORKERS; do
  walls=()
  for _ in $(seq "$RUNS"); do
    if [ "$STORE" = postgres ]; then
      psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_workers_run" \
        -c "CREATE DATABASE bench_workers_run TEMPLATE bench_workers_template" > /dev/null
    else
      rm -f "$DATA/run.sqlite"*
      cp "$DATA/template.sqlite" "$DATA/run.sqlite"
    fi
    start=$(date +%s.%N)
    pids=()
    for w in $(seq "$n"); do
      "$BIN" recheck --worker "w$w" --db "$STORE_DB" --rules "$ROOT/rules" --allow-private --connect-to "$CONNECT" \
        --retries 0 --per-host "$PER_HOST" --concurrency "$CONCURRENCY" > "$DATA/worker-$n-$w.log" 2>&1 &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc -l)
    read -r checked twice < <(count_checks)
    [ "$checked" = "$ITEMS" ] && [ "$twice" = 0 ] || { echo "run with $n workers checked $checked ($twice twice)" >&2; exit 1; }
    walls+=("$wall")
  done
  # The median run (the middle one of RUNS, or the lower middle).
  best=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  rate=$(echo "$ITEMS / $best" | bc -l)
  [ -z "$BASE" ] && BASE=$rate
  inflight=$(( CONCURRENCY < 20 * PER_HOST ? CONCURRENCY : 20 * PER_HOST ))
  ceiling=$(echo "$n * $inflight * 1000 / $DELAY" | bc -l)
  printf '%-8s %10.1f %12.0f %10.2f %10.2f %12.0f\n' "$n" "$best" "$rate" "$(echo "$rate / $BASE" | bc -l)" \
    "$(echo "0.9 * $n" | bc -l)" "$ceiling"
done
