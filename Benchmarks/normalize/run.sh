#!/usr/bin/env bash
# The one command behind the `urltriage normalize` figures in BENCHMARKS.md.
#
#   Benchmarks/normalize/run.sh [--lines N] [--seed S] [--runs N] [--repeat N]
#                               [--peers-only] [--no-build]
#
#   --lines N     corpus size (default 1000000)
#   --seed S      generator seed (default 20240601)
#   --runs N      timed runs of urltriage per output mode (default 5; median reported)
#   --repeat N    timed runs per Python peer (default 3; median reported)
#   --peers-only  skip building/running urltriage (the peers' half works on its own)
#   --no-build    do not run `swift build`; use $URLTRIAGE_BIN or the release bin path
#
# What it does:
#   1. prints the machine (nproc, CPU model, memory, kernel, date, Python, Swift);
#   2. installs the peers with pip if they are missing (ada-url, w3lib, courlan);
#   3. generates the corpus into Benchmarks/.data/ (git-ignored) unless it is already there
#      for this size, seed and generator version;
#   4. builds urltriage in release, runs `urltriage normalize corpus.txt --format tsv`
#      --runs times with output to a file (kept for scoring) and --runs times with output
#      to /dev/null, single process, timing each with measure.py (perf_counter + os.wait4:
#      wall seconds and the child's peak RSS, the numbers /usr/bin/time -f '%e %M' gives;
#      no need for the Debian `time` package), then scores the file with score.py;
#   5. runs the three peers (peers.py) over the same URLs;
#   6. prints one Markdown table (also saved in the results directory).
# Progress goes to stderr; the Markdown goes to stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-python3}"

LINES=1000000
SEED=20240601
RUNS=5
REPEAT=3
PEERS_ONLY=0
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) LINES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --peers-only) PEERS_ONLY=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "run.sh: $*" >&2; }

# ---- 1. machine -------------------------------------------------------------
CPU="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
MEM="$(awk '/^MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo 2>/dev/null || true)"
SWIFTV="–"
if [ "$PEERS_ONLY" = 0 ] && command -v swift >/dev/null 2>&1; then
  SWIFTV="$(swift --version 2>&1 | head -n1)"
fi
MACHINE="$(cat <<EOF
- date: $(date -u '+%Y-%m-%d %H:%M UTC')
- CPU: ${CPU:-unknown} ($(nproc) cores available to this process)
- memory: ${MEM:-unknown}; kernel: $(uname -sr)
- Python: $("$PY" -c 'import platform; print(platform.python_version())'); Swift: $SWIFTV
- corpus: $LINES lines, seed $SEED (Benchmarks/corpus/generate.py)
EOF
)"

# ---- 2. peers ---------------------------------------------------------------
if ! "$PY" -c 'import ada_url, w3lib.url, courlan' >/dev/null 2>&1; then
  log "installing the peers: pip install ada-url w3lib courlan"
  "$PY" -m pip install --quiet ada-url w3lib courlan
fi

# ---- 3. corpus --------------------------------------------------------------
GEN="$ROOT/Benchmarks/corpus/generate.py"
GEN_HASH="$(sha256sum "$GEN" | cut -c1-12)"
DATA="$ROOT/Benchmarks/.data/corpus-$LINES-seed$SEED"
RES="$DATA/results"
if [ ! -s "$DATA/corpus.txt" ] || [ ! -s "$DATA/truth.tsv" ] || [ "$(cat "$DATA/generator" 2>/dev/null)" != "$GEN_HASH" ]; then
  log "generating $LINES lines into $DATA"
  rm -f "$DATA/generator"
  "$PY" "$GEN" --lines "$LINES" --seed "$SEED" --out "$DATA"
  echo "$GEN_HASH" > "$DATA/generator"
fi
mkdir -p "$RES"
cat "$DATA/corpus.txt" "$DATA/truth.tsv" > /dev/null   # warm the page cache

TABLE_ARGS=()

# ---- 4. ours ----------------------------------------------------------------
if [ "$PEERS_ONLY" = 0 ]; then
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
  log "urltriage normalize, $RUNS runs, output to a file"
  "$PY" "$HERE/measure.py" --runs "$RUNS" --lines "$LINES" --label "urltriage (file)" \
    --stdout "$DATA/ours.tsv" -- "$BIN" normalize "$DATA/corpus.txt" --format tsv > "$RES/ours_file.json"
  log "urltriage normalize, $RUNS runs, output to /dev/null"
  "$PY" "$HERE/measure.py" --runs "$RUNS" --lines "$LINES" --label "urltriage (/dev/null)" \
    --stdout /dev/null -- "$BIN" normalize "$DATA/corpus.txt" --format tsv > "$RES/ours_null.json"
  log "scoring $DATA/ours.tsv"
  "$PY" "$HERE/score.py" --truth "$DATA/truth.tsv" --ours "$DATA/ours.tsv" --json "$RES/score.json" \
    > "$RES/score.txt"
  cat "$RES/score.txt" >&2
  TABLE_ARGS+=(--ours-null "$RES/ours_null.json" --ours-file "$RES/ours_file.json" --score "$RES/score.json")
fi

# ---- 5. peers ---------------------------------------------------------------
for p in w3lib courlan ada; do
  log "peer $p, $REPEAT runs"
  "$PY" "$HERE/peers.py" --truth "$DATA/truth.tsv" --peer "$p" --repeat "$REPEAT" > "$RES/peer_$p.json"
  TABLE_ARGS+=(--peer "$RES/peer_$p.json")
done

# ---- 6. table ---------------------------------------------------------------
{
  echo "### \`urltriage normalize\` side by side"
  echo
  echo "$MACHINE"
  echo
  "$PY" "$HERE/table.py" "${TABLE_ARGS[@]}"
} | tee "$RES/benchmarks.md"
log "results in $RES"
