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
import subprocess
import sys
import time


def run(command):
    """Wall time and peak resident memory (KB) of one run of `command`."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage; RUSAGE_CHILDREN would mix in every earlier run.
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    errors = child.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(command)} failed ({code}): {errors.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


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
