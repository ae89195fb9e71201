#!/usr/bin/env bash
# Two builds (or two rule directories) side by side on the same notes, alternating, on one
# core: on a shared machine the minute matters as much as the build, so each run of one
# is next to a run of the other.
#
#   Benchmarks/categories/compare.sh OLD_BIN OLD_RULES NEW_BIN NEW_RULES [NOTES] [RUNS]
#
# NOTES (default 1,000,000) are made by make_notes.py as run.sh makes them; RUNS (default 5)
# of each after one warm-up of each. Prints each run's categorising CPU time (the command's own
# figure: the loop over the notes, the thread's CPU time), the medians, their ratio and the
# load average before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 4 ] || { echo "usage: $0 OLD_BIN OLD_RULES NEW_BIN NEW_RULES [NOTES] [RUNS]" >&2; exit 2; }
NOTES=${5:-1000000}
RUNS=${6:-5}
DATA=Benchmarks/.data/categories-$NOTES
mkdir -p "$DATA"
[ -f "$DATA/notes.txt" ] || python3 Benchmarks/categories/make_notes.py "$NOTES" "$DATA/notes.txt"
python3 - "$1" "$2" "$3" "$4" "$DATA/notes.txt" "$RUNS" <<'PY'
import os, re, statistics, subprocess, sys
old_bin, old_rules, new_bin, new_rules, notes, runs = sys.argv[1:7]
runs = int(runs)

def run(binary, rules):
    out = subprocess.run(["taskset", "-c", "0", binary, "rules", "categorize", notes, "--summary", "--rules", rules],
                         check=True, capture_output=True, text=True).stdout
    found = re.search(r"notes in ([0-9.]+) s of CPU", out)
    counts = [line for line in out.splitlines() if "\t" in line]
    return float(found.group(1)), counts

print("load before:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
_, old_counts = run(old_bin, old_rules)
_, new_counts = run(new_bin, new_rules)
old, new = [], []
for _ in range(runs):
    old.append(run(old_bin, old_rules)[0])
    new.append(run(new_bin, new_rules)[0])
print("load after: ", " ".join(f"{x:.2f}" for x in os.getloadavg()))
print("old runs:", " ".join(f"{x:.3f}" for x in old))
print("new runs:", " ".join(f"{x:.3f}" for x in new))
print(f"| build | median CPU | min | max |\n|---|---:|---:|---:|")
print(f"| old | {statistics.median(old):.3f} s | {min(old):.3f} s | {max(old):.3f} s |")
print(f"| new | **{statistics.median(new):.3f} s** | {min(new):.3f} s | {max(new):.3f} s |")
print(f"new/old: {statistics.median(new) / statistics.median(old):.3f}")
print("counts per category", "the same" if old_counts == new_counts else "DIFFER", "\n" + "\n".join(new_counts))
PY
