"""One timed run of a command, shared by the benchmark scripts.

Wall time from perf_counter; user and system CPU and peak RSS from os.wait4, which
gives this child's own rusage (RUSAGE_CHILDREN would mix in every earlier run). These
are the numbers /usr/bin/time prints, without needing the Debian `time` package.
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Sample:
    wall: float
    user: float
    sys: float
    rss_kib: int
    code: int
    stderr: str

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def run_once(cmd: list[str], stdout: str = "/dev/null", stderr: str | None = None) -> Sample:
    """Runs `cmd` once with stdin closed; stdout to a file, stderr to a file or captured."""
    with open(stdout, "wb") as out:
        err = open(stderr, "wb") if stderr else subprocess.PIPE
        try:
            start = time.perf_counter()
            child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            # Read stderr before waiting, so a chatty child cannot fill the pipe and stall.
            captured = child.stderr.read().decode(errors="replace") if child.stderr else ""
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
        finally:
            if stderr:
                err.close()
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code  # keep Popen from waiting again
    return Sample(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, code, captured)
