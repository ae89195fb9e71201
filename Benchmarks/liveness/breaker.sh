#!/usr/bin/env bash
# The "dead host" figures in BENCHMARKS.md (issue 13, gap 5): 40 items on a
# host that accepts connections and never answers, with the host breaker
# turned off (--host-down-after 0: every item waits out its own timeouts, as
# before the breaker existed) and at its defaults (down after 4 failed
# attempts in a row, one probe after a 5 s cool-down).
#
#   Benchmarks/liveness/breaker.sh [--items N] [--timeout S] [--runs N] [--before-runs N] [--no-build]
#
#   --items N        items on the dead host (default 40)
#   --timeout S      --timeout of each attempt (default 5)
#   --runs N         timed runs with the breaker (default 3; the median is reported)
#   --before-runs N  timed runs without it (default 1: one takes minutes)
#   --no-build       use $URLTRIAGE_BIN and $TESTSERVER_BIN (or the release build) as they are
#
# Everything else is urltriage's defaults: --retries 3, --per-host 4.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-python3}"
ITEMS=40
TIMEOUT=5
RUNS=3
BEFORE_RUNS=1
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --items) ITEMS="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --before-runs) BEFORE_RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "breaker.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

SCRATCH="${SCRATCH_PATH:-$ROOT/.build-bench}"
DATA="$ROOT/Benchmarks/.data/liveness-breaker"
mkdir -p "$DATA"
RESULTS="$DATA/results.jsonl"
: > "$RESULTS"

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); libcurl $(curl-config --version 2>/dev/null || echo '?')"
} | tee "$DATA/machine.txt" >&2

if [ "$BUILD" = 1 ]; then
  echo "building (release) ..." >&2
  (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product urltriage >&2 &&
                 swift build -c release --scratch-path "$SCRATCH" --product urltriage-testserver >&2)
fi
BIN="${URLTRIAGE_BIN:-$SCRATCH/release/urltriage}"
SERVER_BIN="${TESTSERVER_BIN:-$SCRATCH/release/urltriage-testserver}"

SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT
"$SERVER_BIN" > "$DATA/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT="$(grep -o 'connect-to: ::127.0.0.1:[0-9]*' "$DATA/server.log" 2>/dev/null | grep -o '[0-9]*$' || true)"
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "breaker.sh: the test server did not start; see $DATA/server.log" >&2; exit 1; }

# dead.example (and every name under it) reads the request and never answers.
for i in $(seq 1 "$ITEMS"); do echo "http://dead.example/item$i"; done > "$DATA/urls.txt"

# run LABEL RUNS EXTRA-ARGS...
run() {
  local label="$1" runs="$2"
  shift 2
  for n in $(seq 1 "$runs"); do
    echo "$label, run $n ..." >&2
    "$PY" "$HERE/measure.py" --stdout "$DATA/out.tsv" --stderr "$DATA/summary.txt" -- \
      "$BIN" check "$DATA/urls.txt" --input-format text --rules "$ROOT/rules" \
      --connect-to "::127.0.0.1:$PORT" --allow-private --timeout "$TIMEOUT" "$@" > "$DATA/measure.json"
    local errors requests
    errors=$(awk -F'\t' 'NR > 1 && $3 == "error"' "$DATA/out.tsv" | wc -l)
    requests=$(grep -o '^[0-9]* requests' "$DATA/summary.txt" | grep -o '[0-9]*' || echo 0)
    "$PY" - "$label" "$DATA/measure.json" "$errors" "$requests" >> "$RESULTS" <<'PYEOF'
import json, sys
label, path, errors, requests = sys.argv[1:5]
entry = json.load(open(path))
entry.update(label=label, errors=int(errors), requests=int(requests))
print(json.dumps(entry))
PYEOF
  done
}

run "breaker off (--host-down-after 0)" "$BEFORE_RUNS" --host-down-after 0
run "breaker on (defaults: 4 attempts, 5 s cool-down)" "$RUNS"
tail -n +1 "$DATA/summary.txt" >&2
awk -F'\t' 'NR == 2 {print "last row: " $6}' "$DATA/out.tsv" >&2

"$PY" - "$RESULTS" "$ITEMS" "$TIMEOUT" <<'PYEOF'
import json, statistics, sys
path, items, timeout = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(line) for line in open(path)]
print(f"{items} items on a host that never answers, --timeout {timeout}, --retries 3, --per-host 4\n")
print("| run | runs | wall median (s) | requests | rows with verdict error |")
print("|---|---:|---:|---:|---:|")
for label in dict.fromkeys(r["label"] for r in rows):
    group = [r for r in rows if r["label"] == label]
    print(f"| {label} | {len(group)} | {statistics.median(r['wall'] for r in group):.1f} | {group[-1]['requests']} | {group[-1]['errors']} |")
PYEOF
