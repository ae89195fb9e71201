#!/usr/bin/env python3
"""Issue 14, targets 1 and 3: `normalize` on CSV against the same URLs as text, and on 1 and 2 threads.

    python3 batches.py --bin URLTRIAGE --data DIR [--runs 5]

DIR holds corpus.txt, urls.txt and reports.csv (Benchmarks/corpus/generate.py, then
make_csv.py). Every case runs --runs times, the cases interleaved run by run so that a
busy moment on the shared machine hits them all alike; medians of wall and CPU seconds.
One-core cases are pinned with `taskset -c 0`, two-core cases with `taskset -c 0,1`.
Checks as it goes: the CSV's rows equal the text's bar the line column, and every
--threads output equals the one-thread output byte for byte.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from timing import run_once  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    d = a.data
    cases = [
        # label, cpus, input, threads
        ("text (URLs one a line), 1 thread, 1 core", "0", "urls.txt", 1),
        ("CSV (same URLs, quoted notes), 1 thread, 1 core", "0", "reports.csv", 1),
        ("corpus.txt, 1 thread, 1 core", "0", "corpus.txt", 1),
        ("corpus.txt, 2 threads, 2 cores", "0,1", "corpus.txt", 2),
        ("CSV, 2 threads, 2 cores", "0,1", "reports.csv", 2),
        ("text (URLs), 2 threads, 2 cores", "0,1", "urls.txt", 2),
    ]
    outs = {}
    wall = {c[0]: [] for c in cases}
    cpu = {c[0]: [] for c in cases}
    for run in range(a.runs):
        for label, cpus, name, threads in cases:
            out = os.path.join(d, "out-%s-%d.tsv" % (name, threads))
            outs[label] = out
            cmd = ["taskset", "-c", cpus, a.bin, "normalize", os.path.join(d, name), "--threads", str(threads), "-q"]
            s = run_once(cmd, stdout=out, stderr="/dev/null")
            if s.code != 0:
                print("batches.py: %s exited %d" % (" ".join(cmd), s.code), file=sys.stderr)
                return 2
            wall[label].append(s.wall)
            cpu[label].append(s.cpu)
        print("run %d done" % (run + 1), file=sys.stderr)

    # Same rows: CSV against text bar the line column; N threads against one.
    def rows(path):
        return subprocess.run("cut -f2- %s | md5sum" % path, shell=True, capture_output=True, text=True).stdout
    same_csv = rows(outs[cases[0][0]]) == rows(outs[cases[1][0]])
    same_threads = all(filecmp.cmp(outs[one], outs[two], shallow=False) for one, two in
                       [(cases[2][0], cases[3][0]), (cases[1][0], cases[4][0]), (cases[0][0], cases[5][0])])

    med = {k: statistics.median(v) for k, v in wall.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}
    print("| case | wall median (s) | runs (s) | CPU median (s) |")
    print("|---|---:|---|---:|")
    for label, *_ in cases:
        print("| %s | %.3f | %s | %.3f |" % (label, med[label], " ".join("%.2f" % x for x in wall[label]), cmed[label]))
    L = [c[0] for c in cases]
    print()
    print("- CSV speed / text speed (1 core): **%.2f** (target ≥ 0.7); rows the same bar the line column: %s"
          % (med[L[0]] / med[L[1]], "yes" if same_csv else "NO"))
    print("- 2 threads / 1 thread throughput, corpus.txt: **%.2f**; CSV: %.2f (vs its 1-thread run); URLs as text: %.2f"
          % (med[L[2]] / med[L[3]], med[L[1]] / med[L[4]], med[L[0]] / med[L[5]]))
    print("- CPU seconds, 2 threads / 1 thread: corpus.txt %.2f, CSV %.2f, URLs as text %.2f (the parallel overhead)"
          % (cmed[L[3]] / cmed[L[2]], cmed[L[4]] / cmed[L[1]], cmed[L[5]] / cmed[L[0]]))
    print("- output of 2 threads byte-identical to 1 thread on all three inputs: %s" % ("yes" if same_threads else "NO"))
    return 0 if same_csv and same_threads else 1


if __name__ == "__main__":
    sys.exit(main())
