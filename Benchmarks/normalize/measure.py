#!/usr/bin/env python3
"""Time a command N times; report median wall seconds and peak resident memory.

    python3 measure.py --runs 5 --lines 1000000 --stdout OUT.tsv -- urltriage normalize corpus.txt --format tsv

Why not /usr/bin/time: it is a separate Debian package (`time`) that is not always
installed, and %e only has 10 ms resolution. os.wait4 returns the child's own rusage
(ru_maxrss = peak RSS in KiB on Linux) for each run separately, which is the same number
`/usr/bin/time -f %M` prints, and time.perf_counter brackets the run.

The command's stdout goes to --stdout (truncated before each run; /dev/null allowed),
its stderr to --stdout + '.stderr' (or /dev/null). Exit status 0 and 1 are accepted
(1 = "failures found" in urltriage's contract); anything else stops with an error.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from timing import run_once  # noqa: E402  (the shared timing helper, one directory up)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lines", type=int, required=True, help="input lines, for lines/s")
    ap.add_argument("--stdout", default="/dev/null")
    ap.add_argument("--label", default="")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command given (put it after --)")
    err_path = "/dev/null" if a.stdout == "/dev/null" else a.stdout + ".stderr"

    secs, cpu, rss, codes = [], [], [], []
    for _ in range(max(1, a.runs)):
        sample = run_once(cmd, stdout=a.stdout, stderr=err_path)
        code = sample.code
        codes.append(code)
        if code not in (0, 1):
            print("measure.py: %s exited with %d (stderr in %s)" % (" ".join(cmd), code, err_path), file=sys.stderr)
            return 2
        secs.append(sample.wall)
        cpu.append(sample.cpu)
        rss.append(sample.rss_kib / 1024)  # KiB -> MiB
    med = statistics.median(secs)
    json.dump({
        "tool": a.label or os.path.basename(cmd[0]),
        "cmd": " ".join(cmd),
        "stdout": a.stdout,
        "lines": a.lines,
        "runs": len(secs),
        "seconds": round(med, 4),
        "seconds_runs": [round(s, 4) for s in secs],
        "lines_per_s": round(a.lines / med) if med > 0 else None,
        # user+system CPU of the child: close to wall time for a single-threaded run on
        # an idle machine; much lower wall/CPU agreement means the machine was busy
        "cpu_seconds": round(statistics.median(cpu), 4),
        "peak_rss_mb": round(max(rss), 1),
        "rss_runs_mb": [round(r, 1) for r in rss],
        "exit_codes": codes,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
