#!/usr/bin/env bash
# Categorising NOTES notes (default 1,000,000), every one different, on one core.
#
#   Benchmarks/categories/run.sh [NOTES] [RUNS]
#
# Builds urltriage in release (scratch path $SCRATCH, default .build-cat; NO_BUILD=1 uses
# the build already there), writes the
# notes once under Benchmarks/.data/ (make_notes.py, fixed seed), then runs
# `urltriage rules categorize NOTES --summary` RUNS times (default 5) after a warm-up,
# pinned to one core with taskset. Prints the categorising time the command measures
# (the loop over the notes, file already read: the thread's CPU time, and wall time,
# which on a shared machine also counts waiting) and the whole command's wall time.
set -euo pipefail
cd "$(dirname "$0")/../.."
NOTES=${1:-1000000}
RUNS=${2:-5}
SCRATCH=${SCRATCH:-.build-cat}
DATA=Benchmarks/.data/categories-$NOTES

[ "${NO_BUILD:-0}" = 1 ] || swift build -c release --scratch-path "$SCRATCH" --product urltriage >&2
BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/urltriage

mkdir -p "$DATA"
if [ ! -f "$DATA/notes.txt" ]; then
  python3 Benchmarks/categories/make_notes.py "$NOTES" "$DATA/notes.txt"
fi
echo "$(wc -l < "$DATA/notes.txt") notes, $(du -m "$DATA/notes.txt" | cut -f1) MB" >&2

taskset -c 0 "$BIN" rules categorize "$DATA/notes.txt" --summary --rules rules > /dev/null
python3 - "$BIN" "$DATA/notes.txt" "$RUNS" <<'PY'
import re, statistics, subprocess, sys, time
binary, notes, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
loop, loop_wall, wall = [], [], []
for _ in range(runs):
    start = time.perf_counter()
    out = subprocess.run(["taskset", "-c", "0", binary, "rules", "categorize", notes, "--summary", "--rules", "rules"],
                         check=True, capture_output=True, text=True).stdout
    wall.append(time.perf_counter() - start)
    found = re.search(r"notes in ([0-9.]+) s of CPU \(([0-9.]+) s wall\)", out)
    loop.append(float(found.group(1)))
    loop_wall.append(float(found.group(2)))
print(out, end="")
print("| measure | median | min | max |\n|---|---:|---:|---:|")
print(f"| categorising (the loop), CPU | **{statistics.median(loop):.3f} s** | {min(loop):.3f} s | {max(loop):.3f} s |")
print(f"| categorising (the loop), wall | {statistics.median(loop_wall):.3f} s | {min(loop_wall):.3f} s | {max(loop_wall):.3f} s |")
print(f"| whole command (read, load, categorise) | {statistics.median(wall):.3f} s | {min(wall):.3f} s | {max(wall):.3f} s |")
PY
