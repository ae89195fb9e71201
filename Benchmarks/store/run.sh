#!/usr/bin/env bash
# The one command behind the "Store" figures in BENCHMARKS.md.
#
#   Benchmarks/store/run.sh [--lines N] [--seed S] [--items N] [--runs N] [--no-build]
#
#   --lines N   report lines to ingest (default 1000000; the corpus of Benchmarks/corpus/generate.py)
#   --seed S    generator seed (default 20240601, the same corpus as the normalize benchmark)
#   --items N   items in the store that due-item selection and stats run on (default 1000000)
#   --runs N    timed runs of each command (default 5; medians reported)
#   --no-build  do not run `swift build`; use $URLTRIAGE_BIN or the release bin path
#
# What it does:
#   1. prints the machine (cores, CPU, memory, kernel, load, SQLite, Swift);
#   2. generates the corpus into Benchmarks/.data/ (git-ignored) unless it is there already;
#   3. builds urltriage in release;
#   4. bench.py: ingest the corpus into a new store --runs times (wall, CPU = user + sys, peak
#      RSS), build a store of --items items with a history, time `recheck --dry-run` (the
#      due-item selection) and `stats --format json` on it;
#   5. prints the Markdown section for BENCHMARKS.md (also saved in the results directory).
# Progress goes to stderr; the Markdown goes to stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-python3}"

LINES=1000000
SEED=20240601
ITEMS=1000000
RUNS=5
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) LINES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --items) ITEMS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "run.sh: $*" >&2; }

# ---- 1. machine -------------------------------------------------------------
CPU="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
MEM="$(awk '/^MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo 2>/dev/null || true)"
SWIFTV="$(swift --version 2>&1 | head -n1 || echo –)"
SQLITEV="$("$PY" -c 'import sqlite3; print(sqlite3.sqlite_version)')"

# ---- 2. corpus --------------------------------------------------------------
GEN="$ROOT/Benchmarks/corpus/generate.py"
GEN_HASH="$(sha256sum "$GEN" | cut -c1-12)"
DATA="$ROOT/Benchmarks/.data/corpus-$LINES-seed$SEED"
if [ ! -s "$DATA/corpus.txt" ] || [ "$(cat "$DATA/generator" 2>/dev/null)" != "$GEN_HASH" ]; then
  log "generating $LINES lines into $DATA"
  rm -f "$DATA/generator"
  "$PY" "$GEN" --lines "$LINES" --seed "$SEED" --out "$DATA"
  echo "$GEN_HASH" > "$DATA/generator"
fi
WORK="$ROOT/Benchmarks/.data/store"
RES="$WORK/results"
mkdir -p "$RES"
cat "$DATA/corpus.txt" > /dev/null   # warm the page cache

# ---- 3. build ---------------------------------------------------------------
cd "$ROOT"
if [ -n "${URLTRIAGE_BIN:-}" ]; then
  BIN="$URLTRIAGE_BIN"
else
  if [ "$BUILD" = 1 ]; then
    log "swift build -c release --product urltriage"
    swift build -c release --product urltriage >&2
  fi
  BIN="$(swift build -c release --show-bin-path)/urltriage"
fi
[ -x "$BIN" ] || { log "no urltriage binary at $BIN"; exit 2; }

# ---- 4. measure -------------------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "bench.py: $RUNS runs each; the store of $ITEMS items is kept in $WORK for the next run"
"$PY" "$HERE/bench.py" --bin "$BIN" --rules "$ROOT/rules" --corpus "$DATA/corpus.txt" --work "$WORK" \
  --runs "$RUNS" --items "$ITEMS" > "$RES/store.json"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 5. table ---------------------------------------------------------------
"$PY" - "$RES/store.json" <<EOF | tee "$RES/benchmarks.md"
import json, sys
r = json.load(open(sys.argv[1]))
i, d, s, h = r["ingest"], r["due"], r["stats"], r["history"]
print("### Store")
print()
print("- date: $(date -u '+%Y-%m-%d %H:%M UTC')")
print("- CPU: ${CPU:-unknown} ($(nproc) cores available to this process)")
print("- memory: ${MEM:-unknown}; kernel: $(uname -sr); load average before/after: $LOAD_BEFORE / $LOAD_AFTER")
print("- SQLite $SQLITEV; $SWIFTV")
print("- command: \`Benchmarks/store/run.sh --lines $LINES --items $ITEMS --runs $RUNS\`")
print()
print("| what | median | target | notes |")
print("|---|---:|---:|---|")
print(f"| ingest {i['lines']:,} report lines (one pass, one thread) | {i['cpu']:.2f} s CPU, {i['wall']:.2f} s wall | < 10 s | "
      f"{i['reports']:,} reports, {i['items']:,} items; user {i['user']:.2f} s + sys {i['sys']:.2f} s; "
      f"walls {i['walls']}; store {i['store_mb']:.0f} MiB |")
print(f"| peak RSS of that ingest | {i['rss_mb']:.0f} MiB | < 400 MiB | largest of {i['runs']} runs |")
print(f"| ingest the same file again | {i['again_wall']:.2f} s wall | – | hashed, found, nothing added |")
print(f"| select the due items among {h['items']:,} | first page {d['first_page_ms']:.2f} ms; all {d['due']:,} in {d['all_ms']:.0f} ms | < 100 ms | "
      f"\`recheck --dry-run\` walks them through the index as a recheck does; process {d['wall']:.2f} s |")
print(f"| \`stats --format json\` over {h['items']:,} items | {s['wall']:.2f} s wall | < 1 s | whole process; CPU {s['cpu']:.2f} s; walls {s['walls']} |")
EOF
log "results in $RES"
