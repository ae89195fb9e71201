#!/usr/bin/env bash
# `stats` and `report` over the 1,000,000-item escalation store, two builds side by side.
#
#   Benchmarks/store/stats_report.sh NEW_BIN [BASE_BIN] [RUNS]
#
# Uses the store Benchmarks/escalate/run.sh makes (Benchmarks/.data/escalate-1000000/cases.sqlite;
# run that first). A build that knows a newer schema migrates the store it opens, and an older
# build refuses a store migrated past it, so BASE_BIN gets its own copy of the store, made once
# before NEW_BIN first opens the original (cases-base.sqlite; delete it to make it again).
# Each command runs once to warm up, then RUNS times (default 7), timed by
# Benchmarks/escalate/measure.py: median wall, min, max, median CPU (user + sys), peak RSS. The
# outputs of the two builds are compared byte for byte (stats without its `generatedAt` line).
set -euo pipefail
cd "$(dirname "$0")/../.."
NEW=${1:?usage: stats_report.sh NEW_BIN [BASE_BIN] [RUNS]}
BASE=${2:-}
RUNS=${3:-7}
DATA=Benchmarks/.data/escalate-1000000
STORE=$DATA/cases.sqlite
NOW=2026-11-26T09:00:00Z
[ -f "$STORE" ] || { echo "stats_report.sh: no store at $STORE; run Benchmarks/escalate/run.sh first" >&2; exit 2; }
if [ -n "$BASE" ] && [ ! -f "$DATA/cases-base.sqlite" ]; then cp "$STORE" "$DATA/cases-base.sqlite"; fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Migrate (if need be) outside the timed runs.
"$NEW" stats --db "$STORE" > /dev/null

ARGS=("stats --format json (new)" -- "$NEW" stats --format json --db "$STORE" ";;"
      "report --html --markdown (new)" -- "$NEW" report --db "$STORE" --now "$NOW" --html "$OUT/new.html" --markdown "$OUT/new.md")
if [ -n "$BASE" ]; then
  ARGS+=(";;" "stats --format json (base)" -- "$BASE" stats --format json --db "$DATA/cases-base.sqlite" ";;"
         "report --html --markdown (base)" -- "$BASE" report --db "$DATA/cases-base.sqlite" --now "$NOW" --html "$OUT/base.html" --markdown "$OUT/base.md")
fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| command | median wall | min | max | median CPU | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|"
python3 Benchmarks/escalate/measure.py "$RUNS" "${ARGS[@]}" | while IFS=$'\t' read -r name median min max cpu peak; do
  echo "| \`$name\` | $median s | $min s | $max s | $cpu s | $peak MB |"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$BASE" ]; then
  "$NEW" stats --format json --db "$STORE" | grep -v generatedAt > "$OUT/new.json"
  "$BASE" stats --format json --db "$DATA/cases-base.sqlite" | grep -v generatedAt > "$OUT/base.json"
  for f in new.json:base.json new.md:base.md new.html:base.html; do
    cmp "$OUT/${f%%:*}" "$OUT/${f##*:}" > /dev/null && echo "same output: ${f%%:*} = ${f##*:}" || echo "OUTPUT DIFFERS: ${f%%:*} vs ${f##*:}"
  done
fi
