#!/usr/bin/env python3
"""Run one Python URL normaliser over the corpus's URLs and measure speed and dedupe.

    python3 Benchmarks/normalize/peers.py --truth DIR/truth.tsv --peer w3lib|courlan|ada [--repeat 3]

Prints one JSON object: lines, seconds (median of --repeat runs), lines_per_s,
distinct_items, distinct_keys, dup_left, split_share, merged (see common.py), the same
metrics on the `plain` subset, and peak RSS (see below).

Fairness notes (also in the JSON `note`):
  * The peers cannot find URLs in free text, so they are given the URL token already cut
    out of each line (truth.tsv's `url` column): they skip the extraction work that
    `urltriage normalize` does on the whole line. That favours them on speed.
  * They get no unwrapping or refanging help: a Safe Links, Proofpoint, l.facebook.com or
    google.com/url wrapper, a defanged `hxxps://www[.]…` or a scheme-less `www.…` token
    is passed as is; that is the input a helpline really has. Because that handicaps them
    on dedupe, the JSON also gives the metrics over `plain` lines only (absolute http(s),
    neither wrapped nor defanged).
  * Where a peer raises or returns nothing, its key is the raw string (what a pipeline
    that keeps going would store).
  * The timed loop is only the normaliser calls over an in-memory list (no file I/O).
  * peak_rss_mb comes from a first streaming pass (read a URL, normalise, keep the key in
    a set), i.e. what a Python dedupe pipeline on this peer would hold; the harness's own
    tables (truth rows, key lists, metrics) are reported apart as harness_peak_rss_mb.
"""

from __future__ import annotations

import argparse
import json
import os
import platform as _platform
import resource
import statistics
import sys
import time
from importlib import metadata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import dedupe_metrics, read_truth, url_form  # noqa: E402


def load_peer(name: str):
    """-> (normalise function str -> str, package name, how it is called)."""
    if name == "w3lib":
        from w3lib.url import canonicalize_url
        return canonicalize_url, "w3lib", "w3lib.url.canonicalize_url(u)"
    if name == "courlan":
        from courlan import normalize_url
        return normalize_url, "courlan", "courlan.normalize_url(u)"
    if name == "ada":
        import ada_url
        if hasattr(ada_url, "normalize_url"):
            return ada_url.normalize_url, "ada-url", "ada_url.normalize_url(u)"
        URL = ada_url.URL
        return (lambda u: URL(u).href), "ada-url", "ada_url.URL(u).href"
    raise SystemExit("unknown peer %r (w3lib, courlan, ada)" % name)


def run_once(fn, urls):
    """Normalise every URL; an exception or an empty answer keeps the raw string."""
    keys = []
    append = keys.append
    fails = 0
    for u in urls:
        try:
            k = fn(u)
        except Exception:  # noqa: BLE001 - any failure of the peer counts the same way
            k = None
        if not k:
            k = u
            fails += 1
        append(k)
    return keys, fails


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="one peer normaliser over truth.tsv's url column")
    ap.add_argument("--truth", required=True, help="truth.tsv written by Benchmarks/corpus/generate.py")
    ap.add_argument("--peer", required=True, choices=["w3lib", "courlan", "ada"])
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the median is reported")
    ap.add_argument("--examples", type=int, default=0, help="include N split/merged examples")
    a = ap.parse_args(argv)

    fn, pkg, call = load_peer(a.peer)
    # Peak RSS comparable with urltriage's: a streaming dedupe pass (read a URL,
    # normalise it, keep the key in a set) BEFORE the harness loads its tables. ru_maxrss
    # only grows, so it has to come first; it doubles as a warm-up run.
    seen = set()
    with open(a.truth, encoding="utf-8", newline="\n") as f:
        next(f)
        for raw in f:
            u = raw.split("\t", 3)[2]
            try:
                k = fn(u)
            except Exception:  # noqa: BLE001
                k = None
            seen.add(k or u)
    rss_stream = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del seen

    rows = read_truth(a.truth)
    urls = [r[2] for r in rows]

    # Wall time is what the table reports; CPU time is kept too because on a shared
    # machine (others compiling) wall time inflates while CPU time barely moves.
    times, cpu = [], []
    keys = fails = None
    for _ in range(max(1, a.repeat)):
        c0, t0 = time.process_time(), time.perf_counter()
        keys, fails = run_once(fn, urls)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    secs = statistics.median(times)
    cpu_secs = statistics.median(cpu)

    counted = [(r[1], k) for r, k in zip(rows, keys) if not r[3]]
    forms = [url_form(r[2]) for r in rows]
    plain = [(r[1], k) for r, k, f in zip(rows, keys, forms) if not r[3] and f == "plain"]
    form_counts = {}
    for r, f in zip(rows, forms):
        if not r[3]:
            form_counts[f] = form_counts.get(f, 0) + 1

    out = {
        "tool": a.peer,
        "package": "%s %s" % (pkg, metadata.version(pkg)),
        "call": call,
        "python": _platform.python_version(),
        "lines": len(urls),
        "seconds": round(secs, 4),
        "seconds_runs": [round(t, 4) for t in times],
        "lines_per_s": round(len(urls) / secs) if secs > 0 else None,
        "cpu_seconds": round(cpu_secs, 4),
        "cpu_lines_per_s": round(len(urls) / cpu_secs) if cpu_secs > 0 else None,
        "failed_kept_raw": fails,
        "short_lines_excluded": sum(1 for r in rows if r[3]),
        "forms_counted": form_counts,
    }
    out.update(dedupe_metrics(counted, a.examples))
    out["plain_only"] = dedupe_metrics(plain)
    out["peak_rss_mb"] = round(rss_stream, 1)
    out["harness_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["note"] = ("given the URL token already cut out of the line (no extraction, no file I/O in "
                   "the timed loop); no unwrapping/refanging; failures keep the raw string; "
                   "peak_rss_mb is the process after a streaming pass that keeps a set of keys "
                   "(harness_peak_rss_mb includes this script's own tables)")
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
