#!/usr/bin/env bash
# A helpline's day on the shipped example batch, end to end and offline:
#
#   1. start the bundled test server (it imitates TikTok, Instagram, YouTube … on
#      127.0.0.1, over HTTP and HTTPS, with its own certificate);
#   2. ingest the day's reports (examples/reports.csv, then examples/reports.txt)
#      into a fresh case store;
#   3. recheck: check every new item against the test server and record verdicts;
#   4. print the escalation list: what to send to each platform, most urgent first.
#
#   examples/day.sh [--db FILE] [any other `urltriage escalate` options]
#
# The store is a new temporary file unless --db names one (then a second run finds
# the reports already ingested and the items already checked). Set URLTRIAGE_BIN to
# a directory holding built urltriage and urltriage-testserver to skip the build.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --db=*) DB=${1#--db=}; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

if [ -z "${URLTRIAGE_BIN:-}" ]; then
  echo "== building urltriage and its test server" >&2
  swift build --product urltriage >&2
  swift build --product urltriage-testserver >&2
  URLTRIAGE_BIN=$(swift build --show-bin-path)
fi
urltriage="$URLTRIAGE_BIN/urltriage"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/urltriage-day.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -n "$DB" ] || DB="$WORK/day.sqlite"

echo "== starting the test server on loopback" >&2
"$URLTRIAGE_BIN/urltriage-testserver" > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  grep -q '^cacert:' "$WORK/server.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; echo "the test server did not start" >&2; exit 1; }
  sleep 0.1
done
CONNECT_TO=$(sed -n 's/^connect-to: //p' "$WORK/server.out")
CACERT=$(sed -n 's/^cacert: //p' "$WORK/server.out")
[ -n "$CONNECT_TO" ] && [ -n "$CACERT" ] || { echo "the test server did not say where it listens" >&2; exit 1; }
echo "   every request goes to $CONNECT_TO" >&2

echo "== ingest" >&2
"$urltriage" ingest examples/reports.csv examples/reports.txt --db "$DB" >&2

echo "== recheck (against the test server)" >&2
"$urltriage" recheck --db "$DB" --allow-private --connect-to "$CONNECT_TO" --cacert "$CACERT" >&2

echo "== escalate" >&2
"$urltriage" escalate --db "$DB" ${ARGS[@]+"${ARGS[@]}"}
