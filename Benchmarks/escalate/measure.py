#!/usr/bin/env python3
"""Times commands: one warm-up run, then RUNS timed runs each; prints the median,
minimum and maximum wall time, the median CPU time, and the largest peak resident
memory of its runs.

Usage: measure.py RUNS NAME -- COMMAND... [;; NAME -- COMMAND...]
Output: one tab-separated line per command: name, median, min and max wall seconds,
median CPU seconds (user + system, which a busy shared machine disturbs less), peak MB.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from timing import run_once  # noqa: E402  (the shared timing helper, one directory up)


def run(command):
    """Wall time, peak resident memory (KB) and CPU time of one run of `command`."""
    sample = run_once(command)
    if sample.code != 0:
        sys.exit(f"{' '.join(command)} failed ({sample.code}): {sample.stderr[-2000:]}")
    return sample.wall, sample.rss_kib, sample.cpu


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[2:]
    groups, current = [], []
    for word in rest:
        if word == ";;":
            groups.append(current)
            current = []
        else:
            current.append(word)
    if current:
        groups.append(current)
    for group in groups:
        name, command = group[0], group[group.index("--") + 1:]
        run(command)
        times, cpu, peak = [], [], 0
        for _ in range(runs):
            elapsed, rss, seconds = run(command)
            times.append(elapsed)
            cpu.append(seconds)
            peak = max(peak, rss)
        print(f"{name}\t{statistics.median(times):.3f}\t{min(times):.3f}\t{max(times):.3f}\t"
              f"{statistics.median(cpu):.3f}\t{peak / 1024:.0f}", flush=True)


if __name__ == "__main__":
    main()
