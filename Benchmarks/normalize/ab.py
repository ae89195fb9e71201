#!/usr/bin/env python3
"""Interleaved A/B timing of `urltriage normalize` with two binaries and/or rule sets.

    python3 Benchmarks/normalize/ab.py --corpus DIR/corpus.txt --lines 1000000 --runs 7 \\
        --a BIN_A RULES_A --b BIN_B RULES_B

Runs A, B, A, B … (output to /dev/null), so that a shared machine's load falls on both
sides alike, and prints the median wall time, lines/s and CPU seconds of each side and
the ratio B/A. Used for issue 12: the same corpus through main's rules and through the
rules with the new platforms (more than twice as many patterns), on a machine whose
other users make absolute figures move by ±15 % from one minute to the next.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from timing import run_once  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--a", nargs=2, metavar=("BIN", "RULES"), required=True)
    ap.add_argument("--b", nargs=2, metavar=("BIN", "RULES"), required=True)
    a = ap.parse_args(argv)
    sides = {"A": a.a, "B": a.b}
    samples = {"A": [], "B": []}
    for run in range(a.runs):
        for name in ("A", "B") if run % 2 == 0 else ("B", "A"):
            binary, rules = sides[name]
            s = run_once([binary, "normalize", a.corpus, "--format", "tsv", "--quiet", "--rules", rules])
            if s.code not in (0, 1):
                sys.exit("%s exited %d: %s" % (name, s.code, s.stderr[:400]))
            samples[name].append(s)
            print("run %d %s: %.3f s wall, %.3f s CPU" % (run + 1, name, s.wall, s.cpu), file=sys.stderr)
    med = {}
    for name in ("A", "B"):
        wall = statistics.median(x.wall for x in samples[name])
        cpu = statistics.median(x.cpu for x in samples[name])
        rss = max(x.rss_kib for x in samples[name]) // 1024
        med[name] = (wall, cpu)
        binary, rules = sides[name]
        print("| %s | `%s` | `%s` | %.3f s | %s | %.3f s | %s | %d MB |" % (
            name, binary, rules, wall, format(round(a.lines / wall), ","), cpu, format(round(a.lines / cpu), ","), rss))
    print("B/A: wall %.3f, CPU %.3f (below 1: B is faster)" % (med["B"][0] / med["A"][0], med["B"][1] / med["A"][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
