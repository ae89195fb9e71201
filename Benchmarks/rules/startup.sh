#!/usr/bin/env bash
# Start-up of the rules: `urltriage rules explain URL` (load every rule file, explain one URL),
# two builds side by side.
#
#   Benchmarks/rules/startup.sh NEW_BIN [BASE_BIN] [RUNS]
#
# One warm-up, then RUNS runs (default 21) of each build pinned to one core, timed by
# Benchmarks/escalate/measure.py: median wall, min, max, median CPU (user + sys, from wait4 at
# microsecond resolution), peak RSS. The explanations of the two builds are compared, their
# timings aside.
set -euo pipefail
cd "$(dirname "$0")/../.."
NEW=${1:?usage: startup.sh NEW_BIN [BASE_BIN] [RUNS]}
BASE=${2:-}
RUNS=${3:-21}
URL="https://www.tiktok.com/@someone/video/7234567890123456789?is_from_webapp=1"
ARGS=("rules explain (new)" -- taskset -c 1 "$NEW" rules explain "$URL" --rules rules)
[ -n "$BASE" ] && ARGS+=(";;" "rules explain (base)" -- taskset -c 1 "$BASE" rules explain "$URL" --rules rules)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| command | median wall | min | max | median CPU | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|"
python3 Benchmarks/escalate/measure.py "$RUNS" "${ARGS[@]}" | while IFS=$'\t' read -r name median min max cpu peak; do
  echo "| \`$name\` | $median s | $min s | $max s | $cpu s | $peak MB |"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$BASE" ]; then
  # Timings (`331 ns`) vary from run to run; everything else must not.
  untimed() { "$1" rules explain "$URL" --rules rules | sed -E 's/[0-9.]+ (ns|µs|ms)//g'; }
  if diff <(untimed "$NEW") <(untimed "$BASE") > /dev/null; then
    echo "same explanation"
  else
    echo "EXPLANATIONS DIFFER"
  fi
fi
