#!/usr/bin/env bash
# Instructions per note for `urltriage rules categorize --summary`: the stable figure on a
# shared machine, where CPU times of the same binary vary from minute to minute.
# valgrind's callgrind counts instructions, not time.
#
#   Benchmarks/categories/instructions.sh [BIN] [NOTES]
#
# BIN defaults to the release build in $SCRATCH (default .build-cat); NOTES (default
# 100000) notes are made by make_notes.py (the same seed and mix as run.sh: one in a
# thousand padded to 8-64 KiB). Start-up (loading and compiling categories.yaml) is
# measured on an empty file and taken off. valgrind 3.19 cannot read the DWARF 5 that
# Swift writes, so a copy of the binary without debug information is counted.
# CALLGRIND_OUT=FILE keeps the profile of the notes (for callgrind_annotate); RULES=DIR reads
# categories.yaml from DIR (default the repository's rules/).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SCRATCH=${SCRATCH:-.build-cat}
BIN="${1:-$ROOT/$SCRATCH/release/urltriage}"
NOTES="${2:-100000}"
RULES="${RULES:-$ROOT/rules}"
DATA="$ROOT/Benchmarks/.data/categories-$NOTES"
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
mkdir -p "$DATA"
if [ ! -f "$DATA/notes.txt" ]; then
  (cd "$ROOT" && python3 Benchmarks/categories/make_notes.py "$NOTES" "$DATA/notes.txt")
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$BIN" "$WORK/urltriage" && strip -g "$WORK/urltriage"
: > "$WORK/empty.txt"
count() {
  valgrind --tool=callgrind --callgrind-out-file="$2" "$WORK/urltriage" rules categorize "$1" --summary --rules "$RULES" \
    > /dev/null 2> "$WORK/err"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/err"
}
total=$(count "$DATA/notes.txt" "${CALLGRIND_OUT:-$WORK/out}")
startup=$(count "$WORK/empty.txt" "$WORK/out.empty")
echo "notes: $NOTES; instructions: $total in all, $startup for start-up; $(( (total - startup) / NOTES )) per note"
