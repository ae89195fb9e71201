#!/usr/bin/env bash
# Accuracy per category and the confusion matrix on the category test set
# (Tests/TriageKitTests/Fixtures/categories/notes.tsv), with every note decided otherwise.
#
#   Benchmarks/categories/accuracy.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${SCRATCH:-.build-cat}
swift build -c release --scratch-path "$SCRATCH" --product urltriage >&2
BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/urltriage
"$BIN" rules categorize --expected Tests/TriageKitTests/Fixtures/categories/notes.tsv --rules rules
