#!/usr/bin/env python3
"""Print the Markdown table for BENCHMARKS.md from the JSON files run.sh collects.

    python3 table.py [--ours-null J] [--ours-file J] [--score J] --peer J [--peer J ...]

ours-null / ours-file: measure.py output for `urltriage normalize` with stdout to
/dev/null and to a file; score: score.py --json; peer: peers.py output.
Without the ours files (run.sh --peers-only) the ratio column shows "–".
"""

from __future__ import annotations

import argparse
import json


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fmt_int(n):
    return "{:,}".format(n) if isinstance(n, int) else "–"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours-null")
    ap.add_argument("--ours-file")
    ap.add_argument("--score")
    ap.add_argument("--peer", action="append", default=[])
    a = ap.parse_args(argv)

    null = load(a.ours_null) if a.ours_null else None
    file_ = load(a.ours_file) if a.ours_file else None
    score = load(a.score) if a.score else None
    peers = [load(p) for p in a.peer]
    base = null["lines_per_s"] if null else None

    def ratio(lps):
        return "%.3f" % (lps / base) if base and lps else "–"

    def dd(m, key, fmt):
        return fmt % m[key] if m and key in m else "–"

    def pct(m):
        return "%.1f%%" % (100 * m["split_share"]) if m and "split_share" in m else "–"

    rows = []
    if null:
        rows.append(("urltriage normalize (extract+normalise+classify+dedupe, output → /dev/null)",
                     null["lines_per_s"], "1.000", null["peak_rss_mb"], score))
    if file_:
        rows.append(("urltriage normalize (output → TSV file)",
                     file_["lines_per_s"], ratio(file_["lines_per_s"]), file_["peak_rss_mb"], score))
    for p in peers:
        rows.append(("%s — `%s`" % (p["package"], p["call"]), p["lines_per_s"], ratio(p["lines_per_s"]),
                     p["peak_rss_mb"], p))

    lines = peers[0]["lines"] if peers else (score or {}).get("lines")
    print("| tool | lines/s (median) | ratio to ours | peak RSS (MB) | dup_left | split share | merged |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, lps, r, rss, m in rows:
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, fmt_int(lps), r, "%.0f" % rss if rss is not None else "–",
            dd(m, "dup_left", "%.4f"), pct(m), dd(m, "merged", "%d")))
    print()
    print("Same dedupe figures on plain lines only (absolute http(s) URLs, not wrapped, not defanged):")
    print()
    print("| tool | counted lines | items | dup_left | split share | merged |")
    print("|---|---:|---:|---:|---:|---:|")
    if score:
        s = score["plain_only"]
        print("| urltriage | %s | %s | %.4f | %.1f%% | %d |" % (fmt_int(s["counted_lines"]), fmt_int(s["distinct_items"]),
                                                          s["dup_left"], 100 * s["split_share"], s["merged"]))
    for p in peers:
        s = p["plain_only"]
        print("| %s | %s | %s | %.4f | %.1f%% | %d |" % (p["tool"], fmt_int(s["counted_lines"]), fmt_int(s["distinct_items"]),
                                                    s["dup_left"], 100 * s["split_share"], s["merged"]))
    print()
    notes = [
        "%s corpus lines, one URL each; dedupe figures leave out the %s short-link lines (they need the network)."
        % (fmt_int(lines), fmt_int((peers[0] if peers else score or {}).get("short_lines_excluded"))),
        "dup_left = distinct keys / distinct items − 1 (0 is perfect); split share = items whose reports got "
        "more than one key; merged = keys shared by different items.",
        "ratio to ours = tool lines/s ÷ urltriage lines/s with output to /dev/null.",
        "urltriage reads every whole report line (extraction included) from a file; the Python peers get the "
        "URL already cut out of the line, in memory, and are timed over the normaliser calls only "
        "(median of %s runs); their peak RSS is the Python process after a streaming pass that keeps the set of keys (the harness's own tables not included)."
        % (len(peers[0]["seconds_runs"]) if peers else "–"),
        "Peers get no unwrapping or refanging: wrapped, defanged and scheme-less tokens are passed as written; "
        "where a peer raises or returns nothing its key is the raw string.",
    ]
    if score:
        notes.append("urltriage: %d lines without a key (counted as unfolded), %d lines with extra URLs."
                     % (score["error_lines"], score["extra_url_lines"]))
    if null:
        notes.append("urltriage timing: median of %d runs (→ /dev/null: %s s; → file: %s s)." % (
            null["runs"], null["seconds"], file_["seconds"] if file_ else "–"))
    # wall time well above CPU time means other processes competed for the cores
    busy = []
    for label, j in (("urltriage → /dev/null", null), ("urltriage → file", file_)) + tuple((p["tool"], p) for p in peers):
        if j and j.get("cpu_seconds") and j["seconds"] > 1.1 * j["cpu_seconds"]:
            busy.append("%s (wall %.2f s, CPU %.2f s)" % (label, j["seconds"], j["cpu_seconds"]))
    if busy:
        notes.append("WARNING: the machine looked busy during: " + "; ".join(busy) + ". Rerun on an idle machine.")
    for n in notes:
        print("- " + n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
