#!/usr/bin/env bash
# `urltriage ingest` of report lines as text and as a helpline's CSV, and where its time goes.
#
#   Benchmarks/ingest/run.sh BIN [BASE_BIN] [LINES] [RUNS]
#
# LINES (default 1000000) lines of the normalize corpus (Benchmarks/corpus/generate.py, seed
# 20240601, made under Benchmarks/.data/ if missing), once as text and once as CSV with
# reported_at, reporter, school, category, url and notes (Benchmarks/ingest/make_csv.py: quoted
# notes with commas, quotes and line breaks). Each binary ingests each file RUNS times (default 3)
# into a new store, pinned to one core (taskset -c 1); the table gives median wall, median CPU
# (user + sys) and the largest peak RSS. Then one more CSV run of BIN under `perf record`
# splits its CPU samples by library: the share in libsqlite3 (and the C library's memcpy/memcmp
# that SQLite calls are counted outside it, so the SQLite share is a lower bound).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:?usage: run.sh BIN [BASE_BIN] [LINES] [RUNS]}
BASE=${2:-}
LINES=${3:-1000000}
RUNS=${4:-3}
CORPUS=Benchmarks/.data/corpus-1000000-seed20240601
if [ ! -s "$CORPUS/corpus.txt" ]; then
  python3 Benchmarks/corpus/generate.py --lines 1000000 --seed 20240601 --out "$CORPUS" >&2
fi
DATA=Benchmarks/.data/ingest
mkdir -p "$DATA"
[ -s "$DATA/all.csv" ] || python3 Benchmarks/ingest/make_csv.py "$CORPUS" "$DATA/all.csv"
head -n "$LINES" "$CORPUS/corpus.txt" > "$DATA/lines.txt"
# The CSV's first LINES records (a record may span lines: cut by records, not lines).
python3 - "$DATA/all.csv" "$DATA/lines.csv" "$LINES" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    reader, writer = csv.reader(f), csv.writer(out, lineterminator="\r\n")
    writer.writerow(next(reader))
    for i, row in enumerate(reader):
        if i >= int(sys.argv[3]):
            break
        writer.writerow(row)
EOF

STORE=$(mktemp -u /tmp/ingest-bench-XXXXXX).sqlite
clean() { rm -f "$STORE" "$STORE-wal" "$STORE-shm" "$STORE.recheck-lock"; }
trap clean EXIT
one() {  # one ingest into a new store: prints wall, cpu, rss (KiB)
  clean
  /usr/bin/time -f "%e %U %S %M" -o "$DATA/time.txt" taskset -c 1 "$1" ingest "$2" --db "$STORE" --rules rules > /dev/null 2>&1
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$DATA/time.txt"
}
row() {  # name bin file
  local walls=() cpus=() rss=0
  for _ in $(seq "$RUNS"); do
    read -r wall cpu peak < <(one "$2" "$3")
    walls+=("$wall"); cpus+=("$cpu"); [ "$peak" -gt "$rss" ] && rss=$peak
  done
  python3 -c "import statistics, sys; w = [float(x) for x in sys.argv[2].split()]; c = [float(x) for x in sys.argv[3].split()]
print(f'| {sys.argv[1]} | {statistics.median(w):.2f} s | {statistics.median(c):.2f} s | {int(sys.argv[4]) / 1024:.0f} MiB | walls {\", \".join(sys.argv[2].split())} |')" \
    "$1" "${walls[*]}" "${cpus[*]}" "$rss"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load before $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| ingest of $LINES lines | median wall | median CPU | peak RSS | runs |"
echo "|---|---:|---:|---:|---|"
for kind in txt csv; do
  row "$kind, new" "$BIN" "$DATA/lines.$kind"
  [ -n "$BASE" ] && row "$kind, base" "$BASE" "$DATA/lines.$kind"
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"

if command -v perf > /dev/null; then
  clean
  perf record -q -F 499 -o "$DATA/perf.data" taskset -c 1 "$BIN" ingest "$DATA/lines.csv" --db "$STORE" --rules rules > /dev/null 2>&1
  echo "CPU samples of one CSV ingest by library (perf record -F 499):"
  perf report -i "$DATA/perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -8
fi
