#!/usr/bin/env bash
# Liveness at the limit (issue 14, target 7), two builds and curl side by side:
#
#   limited   2,000 URLs on 20 hosts answering after 200 ms, --per-host 4,
#             --concurrency 80, --host-interval 0: ideal 2,000 / 80 x 0.2 s = 5.0 s
#   defaults  4,000 such URLs at urltriage's defaults (64 at once, 4 per host, 50 ms
#             host interval): 64 at once bound it, 4,000 / 64 x 0.2 s = 12.5 s
#   one       1 URL: what a run costs besides the requests (start-up, rules, the end)
#
#   Benchmarks/liveness/limit.sh NEW_BIN [BASE_BIN] [RUNS]
#
# Every run of every checker is interleaved with the others (round by round), so
# they see the same load; medians of RUNS (default 5). curl --parallel
# --parallel-max 80 (and 64 for `defaults`) runs the same lists. The server is the
# release test server ($TESTSERVER_BIN, default .build-rel/release/urltriage-testserver).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
NEW=${1:?usage: limit.sh NEW_BIN [BASE_BIN] [RUNS]}
BASE=${2:-}
RUNS=${3:-5}
SERVER_BIN="${TESTSERVER_BIN:-$ROOT/.build-rel/release/urltriage-testserver}"
DATA="$ROOT/Benchmarks/.data/liveness-limit"
mkdir -p "$DATA"
RESULTS="$DATA/results.jsonl"
: > "$RESULTS"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

"$SERVER_BIN" --delay 200 --threads 2 > "$DATA/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 100); do
  PORT="$(grep -o 'connect-to: ::127.0.0.1:[0-9]*' "$DATA/server.log" 2>/dev/null | grep -o '[0-9]*$' || true)"
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "limit.sh: the test server did not start" >&2; exit 1; }

for n in 1 2000 4000; do
  python3 "$HERE/urls.py" --count "$n" > "$DATA/urls-$n.txt"
  python3 "$HERE/urls.py" --count "$n" --curl > "$DATA/urls-$n.curl"
done

# one NAME CASE COMMAND...: times one run, appends a JSON line.
one() {
  local name="$1" case="$2"; shift 2
  python3 "$HERE/measure.py" --stdout "$DATA/out" --stderr "$DATA/err" -- "$@" > "$DATA/m.json"
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); e.update(name=sys.argv[2], case=sys.argv[3]); print(json.dumps(e))' \
    "$DATA/m.json" "$name" "$case" >> "$RESULTS"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
BINS=("new:$NEW")
[ -n "$BASE" ] && BINS+=("base:$BASE")
for run in $(seq 1 "$RUNS"); do
  for spec in "${BINS[@]}"; do
    name="urltriage ${spec%%:*}"; bin="${spec#*:}"
    common=(--input-format text --rules "$ROOT/rules" --format jsonl --connect-to "::127.0.0.1:$PORT" --allow-private)
    one "$name" limited "$bin" check "$DATA/urls-2000.txt" "${common[@]}" --concurrency 80 --per-host 4 --host-interval 0
    one "$name" defaults "$bin" check "$DATA/urls-4000.txt" "${common[@]}"
    one "$name" one "$bin" check "$DATA/urls-1.txt" "${common[@]}"
  done
  one "curl --parallel" limited curl --parallel --parallel-max 80 --connect-to "::127.0.0.1:$PORT" -s -o /dev/null -K "$DATA/urls-2000.curl"
  one "curl --parallel" defaults curl --parallel --parallel-max 64 --connect-to "::127.0.0.1:$PORT" -s -o /dev/null -K "$DATA/urls-4000.curl"
  one "curl --parallel" one curl --parallel --connect-to "::127.0.0.1:$PORT" -s -o /dev/null -K "$DATA/urls-1.curl"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$RESULTS" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
ideal = {"limited": 5.0, "defaults": 12.5, "one": 0.2}
print("| checker | case | runs | median wall s | min | max | ideal / median | median CPU s |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for case in ["limited", "defaults", "one"]:
    for name in dict.fromkeys(r["name"] for r in rows):
        group = [r for r in rows if r["name"] == name and r["case"] == case]
        if not group: continue
        walls = [r["wall"] for r in group]
        wall = statistics.median(walls)
        cpu = statistics.median(r["user"] + r["sys"] for r in group)
        print(f"| {name} | {case} | {len(group)} | {wall:.3f} | {min(walls):.3f} | {max(walls):.3f} | {ideal[case] / wall:.3f} | {cpu:.3f} |")
PYEOF
