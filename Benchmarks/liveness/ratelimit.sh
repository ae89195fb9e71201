#!/usr/bin/env bash
# The "rate limits and a dead host" figures in BENCHMARKS.md (issue 14, target 4):
# 2,000 items against the bundled test server, side by side:
#
#   clean        100 items on each of 20 hosts, every host answering after --delay
#   429 at 3%    the same, but the 19th host answers 429 (Retry-After: 1) to 3% of
#                requests at random (`h19.rl.bench.example`)
#   429 + dead   as `429 at 3%`, and the 20th host's 100 items on a host that accepts
#                connections and never answers (`dead.example`): the target is at most
#                1.5 x `clean`
#
#   Benchmarks/liveness/ratelimit.sh [--delay MS] [--timeout S] [--cooldown S] [--runs N] [--no-build]
#
#   --delay MS     the server answers after MS milliseconds (default 200)
#   --timeout S    --timeout of each attempt (default 3; a dead host costs at least
#                  two of them, the first wave and the probe, plus the cool-down)
#   --cooldown S   --host-cooldown (default: urltriage's, 5)
#   --runs N       timed runs per case (default 3; medians reported)
#   --no-build     use $URLTRIAGE_BIN and $TESTSERVER_BIN (or the release build) as they are
#
# Otherwise urltriage's defaults: --concurrency 64, --per-host 4, --host-interval 50, --retries 3.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-python3}"
DELAY=200
TIMEOUT=3
COOLDOWN=""
RUNS=3
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --delay) DELAY="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --cooldown) COOLDOWN="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "ratelimit.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

SCRATCH="${SCRATCH_PATH:-$ROOT/.build-bench}"
DATA="$ROOT/Benchmarks/.data/liveness-ratelimit"
mkdir -p "$DATA"
RESULTS="$DATA/results.jsonl"
: > "$RESULTS"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

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
"$SERVER_BIN" --delay "$DELAY" --threads 2 > "$DATA/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT="$(grep -o 'connect-to: ::127.0.0.1:[0-9]*' "$DATA/server.log" 2>/dev/null | grep -o '[0-9]*$' || true)"
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "ratelimit.sh: the test server did not start; see $DATA/server.log" >&2; exit 1; }

# urls FILE HOST-19 HOST-20: 100 items on each of h01..h18, HOST-19 and HOST-20, interleaved
urls() {
  "$PY" - "$2" "$3" > "$1" <<'PYEOF'
import sys
hosts = [f"h{n:02d}.bench.example" for n in range(1, 19)] + sys.argv[1:3]
for i in range(2000):
    print(f"http://{hosts[i % 20]}/item/{i}")
PYEOF
}
urls "$DATA/clean.txt" h19.bench.example h20.bench.example
urls "$DATA/ratelimit.txt" h19.rl.bench.example h20.bench.example
urls "$DATA/dead.txt" h19.rl.bench.example dead.example

EXTRA=()
[ -n "$COOLDOWN" ] && EXTRA+=(--host-cooldown "$COOLDOWN")

for run in $(seq 1 "$RUNS"); do
  for case in clean ratelimit dead; do
    echo "$case, run $run ..." >&2
    "$PY" "$HERE/measure.py" --stdout "$DATA/$case.tsv" --stderr "$DATA/$case.summary" -- \
      "$BIN" check "$DATA/$case.txt" --input-format text --rules "$ROOT/rules" \
      --connect-to "::127.0.0.1:$PORT" --allow-private --timeout "$TIMEOUT" "${EXTRA[@]}" > "$DATA/measure.json"
    "$PY" - "$case" "$DATA/measure.json" "$DATA/$case.tsv" "$DATA/$case.summary" >> "$RESULTS" <<'PYEOF'
import json, re, sys
case, measure, rows, summary = sys.argv[1:5]
entry = json.load(open(measure))
verdicts = {}
for line in list(open(rows))[1:]:
    verdict = line.split("\t")[2]
    verdicts[verdict] = verdicts.get(verdict, 0) + 1
text = open(summary).read()
numbers = re.search(r"(\d+) requests \((\d+) retries, (\d+) slow-downs\)", text)
entry.update(case=case, verdicts=verdicts, requests=int(numbers.group(1)) if numbers else 0,
             slowdowns=int(numbers.group(3)) if numbers else 0)
print(json.dumps(entry))
PYEOF
  done
done

"$PY" - "$RESULTS" "$DELAY" "$TIMEOUT" "${COOLDOWN:-5}" <<'PYEOF'
import json, statistics, sys
path, delay, timeout, cooldown = sys.argv[1:5]
rows = [json.loads(line) for line in open(path)]
names = {"clean": "clean", "ratelimit": "one host answers 429 to 3%", "dead": "one host 429 at 3%, one dead"}
clean = statistics.median(r["wall"] for r in rows if r["case"] == "clean")
print(f"2,000 items, server delay {delay} ms, --timeout {timeout}, --host-cooldown {cooldown}, otherwise defaults\n")
print("| case | runs | wall median (s) | x clean | requests | slow-downs | verdicts (last run) |")
print("|---|---:|---:|---:|---:|---:|---|")
for case in ["clean", "ratelimit", "dead"]:
    group = [r for r in rows if r["case"] == case]
    wall = statistics.median(r["wall"] for r in group)
    last = group[-1]
    verdicts = ", ".join(f"{k} {v}" for k, v in sorted(last["verdicts"].items()))
    print(f"| {names[case]} | {len(group)} | {wall:.1f} | {wall / clean:.2f} | {last['requests']} | {last['slowdowns']} | {verdicts} |")
PYEOF
