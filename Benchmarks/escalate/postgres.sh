#!/usr/bin/env bash
# `escalate` and `report` on PostgreSQL beside SQLite, over the store of run.sh.
#
#   Benchmarks/escalate/postgres.sh [ITEMS] [RUNS]
#
# Needs the store Benchmarks/escalate/run.sh makes (Benchmarks/.data/escalate-ITEMS/cases.sqlite,
# default 1,000,000 items) and its release build ($SCRATCH, default .build-esc): run that first.
# Copies the store with `urltriage db copy` into a new database of the server at
# $URLTRIAGE_TEST_PG (else a throwaway cluster from .ci/postgres, stopped at the end), checks
# that both stores write the same bytes for each command, then times each command on each
# store RUNS times (default 5) after a warm-up (measure.py: wall of the whole process; CPU is
# the client's only, the server's work shows in the wall). Prints a Markdown table and keeps
# it in Benchmarks/.data/escalate-ITEMS/postgres.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ITEMS=${1:-1000000}
RUNS=${2:-5}
SCRATCH=${SCRATCH:-.build-esc}
NOW_ISO=2026-11-26T09:00:00Z
DATA=Benchmarks/.data/escalate-$ITEMS
STORE=$DATA/cases.sqlite
[ -f "$DATA/done" ] || { echo "no store in $DATA: run Benchmarks/escalate/run.sh $ITEMS first" >&2; exit 2; }
BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/urltriage
[ -x "$BIN" ] || { echo "no release build in $SCRATCH: run Benchmarks/escalate/run.sh first" >&2; exit 2; }

started_here=""
if [ -z "${URLTRIAGE_TEST_PG:-}" ]; then
  eval "$(.ci/postgres start)"
  started_here=1
fi
SERVER=$URLTRIAGE_TEST_PG
DATABASE=bench_escalate_$ITEMS
PG="${SERVER%/*}/$DATABASE"
cleanup() {
  psql -q "$SERVER" -c "DROP DATABASE IF EXISTS $DATABASE" >/dev/null 2>&1 || true
  [ -n "$started_here" ] && .ci/postgres stop
  true
}
trap cleanup EXIT

psql -q "$SERVER" -c "DROP DATABASE IF EXISTS $DATABASE" -c "CREATE DATABASE $DATABASE" >/dev/null
COPY_START=$(date +%s.%N)
"$BIN" db copy --from "$STORE" --to "$PG" >&2
COPY_SECONDS=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$COPY_START" "$(date +%s.%N)")
psql -q "$PG" -c "VACUUM ANALYZE" >/dev/null

NAMES=("escalate (text, every open item)" "escalate --format json" "escalate --limit 25" "escalate --platform youtube"
       "report --html --markdown" "stats --format json (for comparison)")
command_for() {  # index store: the command's words, one a line
  local common=(--db "$2" --now "$NOW_ISO")
  case $1 in
    0) printf '%s\n' escalate "${common[@]}" ;;
    1) printf '%s\n' escalate "${common[@]}" --format json ;;
    2) printf '%s\n' escalate "${common[@]}" --limit 25 ;;
    3) printf '%s\n' escalate "${common[@]}" --platform youtube ;;
    4) printf '%s\n' report "${common[@]}" --html "$DATA/report-$3.html" --markdown "$DATA/report-$3.md" ;;
    5) printf '%s\n' stats --db "$2" --format json ;;
  esac
}

# The same bytes from either store (stats carries the time it was made, so it is left out).
for index in 0 1 2 3 4; do
  mapfile -t sqlite < <(command_for "$index" "$STORE" sqlite)
  mapfile -t postgres < <(command_for "$index" "$PG" pg)
  "$BIN" "${sqlite[@]}" > "$DATA/out-sqlite.txt" 2>/dev/null
  "$BIN" "${postgres[@]}" > "$DATA/out-pg.txt" 2>/dev/null
  if [ "$index" = 4 ]; then
    cmp -s "$DATA/report-sqlite.md" "$DATA/report-pg.md" && cmp -s "$DATA/report-sqlite.html" "$DATA/report-pg.html" \
      || { echo "report differs between the stores" >&2; exit 1; }
  else
    cmp -s "$DATA/out-sqlite.txt" "$DATA/out-pg.txt" || { echo "${NAMES[$index]} differs between the stores" >&2; exit 1; }
  fi
done

ARGS=()
for index in "${!NAMES[@]}"; do
  for kind in sqlite pg; do
    store=$STORE; [ "$kind" = pg ] && store=$PG
    mapfile -t words < <(command_for "$index" "$store" "$kind")
    [ ${#ARGS[@]} -gt 0 ] && ARGS+=(";;")
    ARGS+=("${NAMES[$index]}, $kind" -- "$BIN" "${words[@]}")
  done
done
RESULTS=$(python3 Benchmarks/escalate/measure.py "$RUNS" "${ARGS[@]}")

{
  echo "Store: $ITEMS items (Benchmarks/escalate/run.sh), copied to PostgreSQL $(psql -tAq "$PG" -c 'SHOW server_version') with db copy in $COPY_SECONDS s, at $NOW_ISO; both stores write the same bytes."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Runs: $RUNS timed after one warm-up; wall time of the whole process; CPU of the client only."
  echo
  echo "| command | store | median wall | min | max | median client CPU | peak RSS |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  while IFS=$'\t' read -r name median min max cpu peak; do
    echo "| \`${name%, *}\` | ${name##*, } | $median s | $min s | $max s | $cpu s | $peak MB |"
  done <<< "$RESULTS"
} | tee "$DATA/postgres.md"
