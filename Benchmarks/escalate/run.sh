#!/usr/bin/env bash
# Escalation list and report over a case store of ITEMS items (default 1,000,000).
#
#   Benchmarks/escalate/run.sh [ITEMS] [RUNS]
#
# Builds urltriage in release (scratch path $SCRATCH, default .build-esc), makes the
# store once under Benchmarks/.data/ (schema from `urltriage ingest`, contents from
# make_store.py with a fixed seed), then times each command RUNS times (default 5)
# after a warm-up, at a fixed --now so every run lists the same items. A store made by
# an older urltriage is migrated by the first warm-up, outside the timed runs. Prints a
# Markdown table and keeps it in Benchmarks/.data/escalate-ITEMS/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ITEMS=${1:-1000000}
RUNS=${2:-5}
SCRATCH=${SCRATCH:-.build-esc}
SEED=20261126
NOW_ISO=2026-11-26T09:00:00Z
NOW=$(date -u -d "$NOW_ISO" +%s)
DATA=Benchmarks/.data/escalate-$ITEMS
STORE=$DATA/cases.sqlite

swift build -c release --scratch-path "$SCRATCH" --product urltriage >&2
BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/urltriage

if [ ! -f "$DATA/done" ]; then
  rm -rf "$DATA" && mkdir -p "$DATA"
  echo "https://www.tiktok.com/@bench/video/7000000000000000001 first report of the benchmark store" > "$DATA/seed.txt"
  "$BIN" ingest "$DATA/seed.txt" --db "$STORE" --reported-at "$NOW_ISO" --by bench >/dev/null
  echo "making a store of $ITEMS items (once) …" >&2
  python3 Benchmarks/escalate/make_store.py "$STORE" "$ITEMS" "$NOW" "$SEED"
  touch "$DATA/done"
fi

count() { python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$STORE" "$1"; }
OPEN=$(count "SELECT count(*) FROM items WHERE status IN ('live','restricted','unknown','error','overdue') OR (status = 'escalated' AND response_due_at <= $NOW)")
REPORTS=$(count "SELECT count(*) FROM reports")

RESULTS=$(python3 Benchmarks/escalate/measure.py "$RUNS" \
  "escalate (text, every open item)" -- "$BIN" escalate --db "$STORE" --now "$NOW_ISO" ";;" \
  "escalate --format json" -- "$BIN" escalate --db "$STORE" --now "$NOW_ISO" --format json ";;" \
  "escalate --limit 25" -- "$BIN" escalate --db "$STORE" --now "$NOW_ISO" --limit 25 ";;" \
  "escalate --platform youtube" -- "$BIN" escalate --db "$STORE" --now "$NOW_ISO" --platform youtube ";;" \
  "report --html --markdown" -- "$BIN" report --db "$STORE" --now "$NOW_ISO" --html "$DATA/report.html" --markdown "$DATA/report.md" ";;" \
  "stats --format json (for comparison)" -- "$BIN" stats --db "$STORE" --format json)

{
  echo "Store: $ITEMS items, $REPORTS reports, $OPEN open items (live, restricted, unknown, error or past target) at $NOW_ISO."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Runs: $RUNS timed after one warm-up; wall time of the whole process (open, query, score, write)."
  echo
  echo "| command | median wall | min | max | median CPU | peak RSS |"
  echo "|---|---:|---:|---:|---:|---:|"
  while IFS=$'\t' read -r name median min max cpu peak; do
    echo "| \`$name\` | $median s | $min s | $max s | $cpu s | $peak MB |"
  done <<< "$RESULTS"
} | tee "$DATA/results.md"
