#!/usr/bin/env bash
# Issue 14, targets 1 and 3: CSV against text, and --threads 2 against 1 (see batches.py).
#
#   Benchmarks/normalize/batches.sh [--lines N] [--runs N] [--no-build]
#
# Uses the corpus of run.sh (same size and seed, generated if missing), writes
# urls.txt and reports.csv next to it (make_csv.py), builds release unless
# --no-build (SCRATCH= picks the scratch path; URLTRIAGE_BIN= a binary), prints the
# load (uptime) before and after and the Markdown table for BENCHMARKS.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-python3}"
LINES=1000000; SEED=20240601; RUNS=5; BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) LINES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "batches.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
DATA="${DATA:-$ROOT/Benchmarks/.data/corpus-$LINES-seed$SEED}"
if [ ! -s "$DATA/corpus.txt" ]; then
  "$PY" "$ROOT/Benchmarks/corpus/generate.py" --lines "$LINES" --seed "$SEED" --out "$DATA"
fi
if [ ! -s "$DATA/reports.csv" ] || [ "$HERE/make_csv.py" -nt "$DATA/reports.csv" ]; then
  "$PY" "$HERE/make_csv.py" --truth "$DATA/truth.tsv" --corpus "$DATA/corpus.txt" --out "$DATA"
fi
cd "$ROOT"
SCRATCH="${SCRATCH:-.build}"
if [ -n "${URLTRIAGE_BIN:-}" ]; then BIN="$URLTRIAGE_BIN"; else
  [ "$BUILD" = 1 ] && swift build -c release --scratch-path "$SCRATCH" --product urltriage >&2
  BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/urltriage"
fi
cat "$DATA/corpus.txt" "$DATA/urls.txt" "$DATA/reports.csv" > /dev/null
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load before: $(uptime | sed 's/.*load average: //')"
"$PY" "$HERE/batches.py" --bin "$BIN" --data "$DATA" --runs "$RUNS"
echo "- load after: $(uptime | sed 's/.*load average: //')"
