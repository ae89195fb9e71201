#!/usr/bin/env bash
# Instructions per report line for `urltriage normalize`: the stable figure on a
# shared machine, where wall times of the same binary vary by a third from minute
# to minute. valgrind's callgrind counts instructions, not time, so the same binary
# and input give the same count whatever else the machine is doing.
#
#   Benchmarks/normalize/instructions.sh [BIN] [LINES]
#
# BIN defaults to the release build; LINES (default 100000) are the first lines of
# the benchmark corpus (Benchmarks/normalize/run.sh makes it). The start-up cost
# (loading and compiling the rule files) is measured on an empty file and taken
# off, so the figure is per line. valgrind 3.19 cannot read the DWARF 5 that Swift
# writes, so a copy of the binary without debug information is counted.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/.build/release/urltriage}"
LINES="${2:-100000}"
CORPUS="$ROOT/Benchmarks/.data/corpus-1000000-seed20240601/corpus.txt"
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[ -s "$CORPUS" ] || { echo "instructions.sh: no corpus at $CORPUS; run Benchmarks/normalize/run.sh first" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$BIN" "$WORK/urltriage" && strip -g "$WORK/urltriage"
head -n "$LINES" "$CORPUS" > "$WORK/lines.txt"
: > "$WORK/empty.txt"
count() {
  valgrind --tool=callgrind --callgrind-out-file="$WORK/out" "$WORK/urltriage" normalize "$1" --rules "$ROOT/rules" \
    > /dev/null 2> "$WORK/err"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/err"
}
total=$(count "$WORK/lines.txt")
startup=$(count "$WORK/empty.txt")
echo "lines: $LINES; instructions: $total in all, $startup for start-up; $(( (total - startup) / LINES )) per line"
