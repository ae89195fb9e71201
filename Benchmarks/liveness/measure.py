#!/usr/bin/env python3
"""Runs one command and prints its wall time, CPU time and peak RSS as JSON.

    measure.py [--stdout FILE] [--stderr FILE] -- COMMAND ...

Wall time from perf_counter; user and system CPU and peak RSS from os.wait4
(the numbers /usr/bin/time gives, without needing the Debian `time` package).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from timing import run_once  # noqa: E402  (the shared timing helper, one directory up)


def main() -> int:
    args = sys.argv[1:]
    out, err = "/dev/null", None
    while args and args[0] != "--":
        flag, value, args = args[0], args[1], args[2:]
        if flag == "--stdout":
            out = value
        elif flag == "--stderr":
            err = value
        else:
            print(f"measure.py: unknown option {flag}", file=sys.stderr)
            return 2
    command = args[1:]
    sample = run_once(command, stdout=out, stderr=err)
    if err is None and sample.stderr:
        sys.stderr.write(sample.stderr)
    print(json.dumps({
        "wall": sample.wall,
        "user": sample.user,
        "sys": sample.sys,
        "max_rss_kib": sample.rss_kib,
        "status": sample.code,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
