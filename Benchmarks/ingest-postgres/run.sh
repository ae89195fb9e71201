#!/usr/bin/env bash
# `urltriage ingest` into PostgreSQL (COPY into staging tables, then set-based inserts), against
# the same ingest into SQLite as the peer, on the files of Benchmarks/ingest/run.sh.
#
#   Benchmarks/ingest-postgres/run.sh BIN [LINES] [RUNS]
#
# LINES (default 1000000) lines of the normalize corpus as text, and as the helpline CSV
# (Benchmarks/ingest/make_csv.py), each ingested RUNS times (default 3) into a new database
# of the server at $URLTRIAGE_TEST_PG (else a throwaway cluster from .ci/postgres, stopped at
# the end), and once into a new SQLite store. The client is pinned to core 1; the server runs
# where the kernel puts it (on this 2-core machine, mostly core 0), so the wall time is what a
# user waits and lines/s is LINES / wall. CPU of the client (user + sys) is given apart; the
# server's CPU is the difference of its processes' times (from /proc) over the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:?usage: run.sh BIN [LINES] [RUNS]}
LINES=${2:-1000000}
RUNS=${3:-3}
CORPUS=Benchmarks/.data/corpus-1000000-seed20240601
if [ ! -s "$CORPUS/corpus.txt" ]; then
  python3 Benchmarks/corpus/generate.py --lines 1000000 --seed 20240601 --out "$CORPUS" >&2
fi
DATA=Benchmarks/.data/ingest
mkdir -p "$DATA"
[ -s "$DATA/all.csv" ] || python3 Benchmarks/ingest/make_csv.py "$CORPUS" "$DATA/all.csv"
head -n "$LINES" "$CORPUS/corpus.txt" > "$DATA/pg-lines.txt"
python3 - "$DATA/all.csv" "$DATA/pg-lines.csv" "$LINES" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    reader, writer = csv.reader(f), csv.writer(out, lineterminator="\r\n")
    writer.writerow(next(reader))
    for i, row in enumerate(reader):
        if i >= int(sys.argv[3]):
            break
        writer.writerow(row)
PY

. Benchmarks/postgres-server.sh
STORE=$(mktemp -u /tmp/ingest-pg-bench-XXXXXX).sqlite
cleanup() {
  rm -f "$STORE" "$STORE-wal" "$STORE-shm"
  psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_ingest" >/dev/null 2>&1 || true
  postgres_server_stop
  true
}
trap cleanup EXIT

server_cpu() {  # user + sys seconds of every postgres process
  local total=0
  for pid in $(pgrep -x postgres); do
    total=$(awk -v t="$total" '{print t + ($14 + $15) / 100}' "/proc/$pid/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}

one() {  # kind file: prints wall client_cpu server_cpu rss
  if [ "$1" = pg ]; then
    psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_ingest" -c "CREATE DATABASE bench_ingest" >/dev/null
    local db="$BASE/bench_ingest"
  else
    rm -f "$STORE" "$STORE-wal" "$STORE-shm"
    local db="$STORE"
  fi
  local before after
  before=$(server_cpu)
  /usr/bin/time -f "%e %U %S %M" -o "$DATA/pg-time.txt" taskset -c 1 "$BIN" ingest "$2" --db "$db" --rules rules > "$DATA/pg-out.txt" 2>&1 \
    || { cat "$DATA/pg-out.txt" >&2; exit 1; }
  after=$(server_cpu)
  awk -v s="$(python3 -c "print(max(0, $after - $before))")" '{printf "%s %.2f %.2f %s\n", $1, $2 + $3, s, $4}' "$DATA/pg-time.txt"
}

row() {  # name kind file runs
  local walls=() cpus=() servers=() rss=0
  for _ in $(seq "$4"); do
    read -r wall cpu server peak < <(one "$2" "$3")
    walls+=("$wall"); cpus+=("$cpu"); servers+=("$server"); [ "$peak" -gt "$rss" ] && rss=$peak
  done
  python3 -c "import statistics, sys
w = [float(x) for x in sys.argv[2].split()]; c = [float(x) for x in sys.argv[3].split()]; s = [float(x) for x in sys.argv[4].split()]
m = statistics.median(w)
print(f'| {sys.argv[1]} | {m:.2f} s | {int(sys.argv[6]) / m:,.0f} | {statistics.median(c):.2f} s | {statistics.median(s):.2f} s | {int(sys.argv[5]) / 1024:.0f} MiB | {\", \".join(sys.argv[2].split())} |')" \
    "$1" "${walls[*]}" "${cpus[*]}" "${servers[*]}" "$rss" "$LINES"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load before $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| ingest of $LINES lines | median wall | lines/s | client CPU | server CPU | client peak RSS | walls |"
echo "|---|---:|---:|---:|---:|---:|---|"
row "text, PostgreSQL" pg "$DATA/pg-lines.txt" "$RUNS"
row "CSV, PostgreSQL" pg "$DATA/pg-lines.csv" "$RUNS"
[ -n "${NO_SQLITE:-}" ] || row "text, SQLite (peer)" sqlite "$DATA/pg-lines.txt" 1
[ -n "${NO_SQLITE:-}" ] || row "CSV, SQLite (peer)" sqlite "$DATA/pg-lines.csv" 1
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
