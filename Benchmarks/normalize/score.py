#!/usr/bin/env python3
"""Score `urltriage normalize --format tsv` output against the corpus ground truth.

    urltriage normalize DIR/corpus.txt --format tsv > DIR/ours.tsv
    python3 Benchmarks/normalize/score.py --truth DIR/truth.tsv --ours DIR/ours.tsv [--json OUT]

Our TSV has the header `line	key	platform	type	canonical	error`, one row per URL found,
in input order (`line` is the 1-based input line; a line without a URL gives one row
with an empty key and the reason in `error`). Rows are joined to truth.tsv on `line`.

Each corpus line holds exactly one URL, so per line we take the first row with a
non-empty key. A line with no such row is an ERROR: its key becomes a unique
`<error line N>`, so errors count against dup_left (the report was not folded with
the others) without ever looking like a merge. Extra rows with keys on one line are
spurious URLs and are listed separately.

Same metrics as peers.py (see common.py): over non-short lines (truth short=0) —
short links need the network — plus the same figures on `plain` lines only (so they
compare with the peers' plain-only figures), a per-platform breakdown, and examples of
split items and merged keys so an engineer can fix the rules.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import dedupe_metrics, platform_of, read_truth, url_form  # noqa: E402

EXPECTED_HEADER = ["line", "key", "platform", "type", "canonical", "error"]


def read_ours(path: str):
    """-> (dict line -> list of (key, platform, type, canonical, error), problems)."""
    rows = defaultdict(list)
    problems = []
    f = sys.stdin if path == "-" else open(path, encoding="utf-8", errors="replace", newline="\n")
    with f:
        header = f.readline().rstrip("\r\n").split("\t")
        if header != EXPECTED_HEADER:
            problems.append("header is %r, expected %r" % (header, EXPECTED_HEADER))
        for n, raw in enumerate(f, 2):
            parts = raw.rstrip("\r\n").split("\t")
            if len(parts) < 6:
                parts += [""] * (6 - len(parts))
                if len(problems) < 20:
                    problems.append("output line %d has fewer than 6 fields: %r" % (n, raw[:200]))
            elif len(parts) > 6:  # a tab inside a field: keep the first five, join the rest
                parts = parts[:5] + ["\t".join(parts[5:])]
                if len(problems) < 20:
                    problems.append("output line %d has more than 6 fields" % n)
            try:
                ln = int(parts[0])
            except ValueError:
                if len(problems) < 20:
                    problems.append("output line %d: line number %r is not an integer" % (n, parts[0]))
                continue
            rows[ln].append(tuple(parts[1:6]))
    return rows, problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="score urltriage normalize TSV against truth.tsv")
    ap.add_argument("--truth", required=True)
    ap.add_argument("--ours", required=True, help="TSV from `urltriage normalize --format tsv` ('-' = stdin)")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--json", help="also write the figures as JSON here")
    a = ap.parse_args(argv)

    truth = read_truth(a.truth)
    ours, problems = read_ours(a.ours)
    truth_lines = {t[0] for t in truth}
    stray = sorted(ln for ln in ours if ln not in truth_lines)

    counted, plain = [], []
    sample_url = {}                 # (item, key) -> first raw URL, for examples
    errors = []                     # (line, url, error text)
    error_by_form = defaultdict(int)
    extra = []                      # (line, url, [keys])
    short_ok = short_total = 0
    by_platform = defaultdict(list)
    for line, item, url, short in truth:
        rs = ours.get(line, [])
        keyed = [r for r in rs if r[0]]
        if short:
            short_total += 1
            short_ok += bool(keyed)
            continue
        if keyed:
            key = keyed[0][0]
            if len(keyed) > 1:
                extra.append((line, url, [r[0] for r in keyed]))
        else:
            key = "<error line %d>" % line
            why = "; ".join(r[4] for r in rs if r[4]) or ("no output row" if not rs else "empty key, no reason")
            errors.append((line, url, why))
            error_by_form[url_form(url)] += 1
        counted.append((item, key))
        by_platform[platform_of(item)].append((item, key))
        if url_form(url) == "plain":
            plain.append((item, key))
        sample_url.setdefault((item, key), url)

    m = dedupe_metrics(counted, a.examples)
    result = {
        "tool": "urltriage",
        "lines": len(truth),
        "short_lines_excluded": short_total,
        "short_lines_with_key": short_ok,
        "error_lines": len(errors),
        "error_by_form": dict(error_by_form),
        "extra_url_lines": len(extra),
        "stray_output_lines": len(stray),
        "format_problems": problems,
    }
    result.update(m)
    result["plain_only"] = dedupe_metrics(plain)
    result["by_platform"] = {p: {k: v for k, v in dedupe_metrics(ps).items() if k != "counted_lines"}
                             | {"lines": len(ps)} for p, ps in sorted(by_platform.items(), key=lambda kv: -len(kv[1]))}
    result["error_examples"] = [{"line": ln, "url": u, "error": e} for ln, u, e in errors[:a.examples]]
    result["extra_examples"] = [{"line": ln, "url": u, "keys": ks} for ln, u, ks in extra[:a.examples]]
    for ex in result.get("split_examples", []):
        ex["urls"] = {k: sample_url.get((ex["item"], k), "") for k in ex["keys"]}
    for ex in result.get("merged_examples", []):
        ex["urls"] = {i: sample_url.get((i, ex["key"]), "") for i in ex["items"]}

    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
            f.write("\n")

    # ---- human report
    p = print
    p("urltriage normalize vs ground truth: %d lines (%d short-link lines left out)" % (len(truth), short_total))
    p("  items %d, keys %d, dup_left %.4f, split share %.4f (%d items), merged %d keys (%d items)"
      % (m["distinct_items"], m["distinct_keys"], m["dup_left"], m["split_share"], m["split_items"],
         m["merged"], m["merged_items"]))
    pl = result["plain_only"]
    p("  plain URLs only: items %d, dup_left %.4f, split share %.4f, merged %d"
      % (pl["distinct_items"], pl["dup_left"], pl["split_share"], pl["merged"]))
    p("  short-link lines with a key: %d of %d" % (short_ok, short_total))
    p("  errors (no key): %d %s; extra URLs on %d lines; %d output rows for lines not in the corpus"
      % (len(errors), dict(error_by_form), len(extra), len(stray)))
    for msg in problems[:5]:
        p("  FORMAT: " + msg)
    p("  by platform:")
    for plat, v in result["by_platform"].items():
        p("    %-10s lines %7d  items %7d  dup_left %.4f  split %.4f  merged %d"
          % (plat, v["lines"], v["distinct_items"], v["dup_left"], v["split_share"], v["merged"]))
    if errors:
        p("  error examples:")
        for e in result["error_examples"]:
            p("    line %(line)d: %(url)s -> %(error)s" % e)
    if extra:
        p("  extra-URL examples:")
        for e in result["extra_examples"]:
            p("    line %d: %s -> %s" % (e["line"], e["url"], e["keys"]))
    if a.examples and m["split_items"]:
        p("  split items (one item, several keys):")
        for ex in result.get("split_examples", []):
            p("    %s (%d keys)" % (ex["item"], ex["n_keys"]))
            for k, u in ex["urls"].items():
                p("      %-60s <- %s" % (k, u))
    if a.examples and m["merged"]:
        p("  merged keys (one key, several items):")
        for ex in result.get("merged_examples", []):
            p("    %s (%d items)" % (ex["key"], ex["n_items"]))
            for i, u in ex["urls"].items():
                p("      %-50s <- %s" % (i, u))
    return 0


if __name__ == "__main__":
    sys.exit(main())
