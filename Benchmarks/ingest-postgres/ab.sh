#!/usr/bin/env bash
# Two builds' ingest into PostgreSQL side by side, alternating, on the files run.sh wrote
# (Benchmarks/.data/ingest/pg-lines.txt and .csv: run it first with the LINES wanted).
# On a shared machine the ratio of the two in the same minutes is the figure to read.
#
#   Benchmarks/ingest-postgres/ab.sh OLD_BIN NEW_BIN [RUNS]
#
# Needs URLTRIAGE_TEST_PG (e.g. `eval "$(.ci/postgres start)"`). Each run ingests into a new
# database; prints every wall time and the medians, and each build's statement times from the
# server's log when log_min_duration_statement is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
OLD=${1:?usage: ab.sh OLD_BIN NEW_BIN [RUNS]}
NEW=${2:?usage: ab.sh OLD_BIN NEW_BIN [RUNS]}
RUNS=${3:-5}
SERVER=${URLTRIAGE_TEST_PG:?set URLTRIAGE_TEST_PG}
BASE=${SERVER%/*}
DATA=Benchmarks/.data/ingest
export PGPASSWORD=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlparse(sys.argv[1]).password or "")' "$SERVER")
trap 'psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_ab" >/dev/null 2>&1 || true' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load before $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lines: $(wc -l < "$DATA/pg-lines.txt") text, $(( $(wc -l < "$DATA/pg-lines.csv") - 1 )) CSV rows"
results=$(mktemp)
for run in $(seq "$RUNS"); do
  for file in pg-lines.txt pg-lines.csv; do
    for side in old new; do
      bin=$OLD; [ "$side" = new ] && bin=$NEW
      psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_ab" -c "CREATE DATABASE bench_ab" >/dev/null 2>&1
      start=$(date +%s.%N)
      taskset -c 1 "$bin" ingest "$DATA/$file" --db "$BASE/bench_ab" --rules rules >/dev/null 2>&1
      end=$(date +%s.%N)
      echo "$side ${file##*.} $(python3 -c "print(f'{$end - $start:.2f}')")" | tee -a "$results"
    done
  done
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" "$(wc -l < "$DATA/pg-lines.txt")" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
lines = int(sys.argv[2])
print("| file | old median wall | new median wall | new / old | new lines/s |\n|---|---:|---:|---:|---:|")
for kind in ("txt", "csv"):
    old = statistics.median(float(r[2]) for r in rows if r[0] == "old" and r[1] == kind)
    new = statistics.median(float(r[2]) for r in rows if r[0] == "new" and r[1] == kind)
    print(f"| {kind} | {old:.2f} s | {new:.2f} s | {new / old:.2f} | {lines / new:,.0f} |")
PY
rm -f "$results"
