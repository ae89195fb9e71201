#!/usr/bin/env python3
"""Runs one command and prints its wall time, CPU time and peak RSS as JSON.

    measure.py [--stdout FILE] [--stderr FILE] -- COMMAND ...

Wall time from perf_counter; user and system CPU and peak RSS from os.wait4
(the numbers /usr/bin/time gives, without needing the Debian `time` package).
"""
import json
import os
import subprocess
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    out, err = subprocess.DEVNULL, None
    while args and args[0] != "--":
        flag, value, args = args[0], args[1], args[2:]
        if flag == "--stdout":
            out = open(value, "wb")
        elif flag == "--stderr":
            err = open(value, "wb")
        else:
            print(f"measure.py: unknown option {flag}", file=sys.stderr)
            return 2
    command = args[1:]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=out, stderr=err)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    print(json.dumps({
        "wall": wall,
        "user": usage.ru_utime,
        "sys": usage.ru_stime,
        "max_rss_kib": usage.ru_maxrss,
        "status": os.waitstatus_to_exitcode(status),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
