"""Shared by peers.py and score.py: reading truth.tsv and the dedupe metrics.

Metrics (the issue's definitions), over lines whose truth `short` is 0 — short links
need the network, so no offline normaliser can be asked to merge them:
  distinct_items  items that appear on at least one counted line
  distinct_keys   keys the tool produced on those lines
  dup_left        distinct_keys / distinct_items - 1: duplicates the tool failed to fold
                  (0 = perfect; it can hide merges, hence `merged`)
  split_share     share of items whose reports landed on more than one key
  merged          keys shared by two or more different items (wrongly folded content)
"""

from __future__ import annotations

import re
from collections import defaultdict

# A "plain" URL is what a URL library is built for: an absolute http(s) URL that is
# neither defanged nor inside a mail/redirect wrapper. Used to report the peers'
# figures on the subset where they are not handicapped by input they were never meant
# to read.
WRAPPER_RE = re.compile(
    r"^https?://(?:[a-z0-9]+\.safelinks\.protection\.outlook\.com/|urldefense(?:\.proofpoint)?\.com/"
    r"|l\.facebook\.com/l\.php|(?:www\.)?google\.[a-z.]+/url\?)",
    re.I,
)


def url_form(u: str) -> str:
    """plain | wrapped | defanged | schemeless (how the token was written)."""
    if "[.]" in u or u[:4].lower() == "hxxp":
        return "defanged"
    if not (u[:7].lower() == "http://" or u[:8].lower() == "https://"):
        return "schemeless"
    if WRAPPER_RE.match(u):
        return "wrapped"
    return "plain"


def read_truth(path: str):
    """-> list of (line_no, item, url, short) in file order."""
    rows = []
    with open(path, encoding="utf-8", newline="\n") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:4] != ["line", "item", "url", "short"]:
            raise SystemExit("%s: expected header line/item/url/short, got %r" % (path, header))
        for raw in f:
            line, item, url, short = raw.rstrip("\n").split("\t", 3)
            rows.append((int(line), item, url, short == "1"))
    return rows


def dedupe_metrics(pairs, examples: int = 0):
    """pairs: iterable of (item, key) for the counted (non-short) lines.

    Returns a dict of the metrics; with examples > 0 also the first split items and
    merged keys (with their keys/items) so an engineer can see what went wrong.
    """
    keys_of = defaultdict(set)
    items_of = defaultdict(set)
    n = 0
    for item, key in pairs:
        keys_of[item].add(key)
        items_of[key].add(item)
        n += 1
    ni, nk = len(keys_of), len(items_of)
    split = [i for i, ks in keys_of.items() if len(ks) > 1]
    merged = [k for k, its in items_of.items() if len(its) > 1]
    out = {
        "counted_lines": n,
        "distinct_items": ni,
        "distinct_keys": nk,
        "dup_left": round(nk / ni - 1, 4) if ni else 0.0,
        "split_share": round(len(split) / ni, 4) if ni else 0.0,
        "split_items": len(split),
        "merged": len(merged),
        "merged_items": sum(len(items_of[k]) for k in merged),
    }
    if examples:
        out["split_examples"] = [{"item": i, "keys": sorted(keys_of[i])[:6], "n_keys": len(keys_of[i])}
                                 for i in split[:examples]]
        out["merged_examples"] = [{"key": k, "items": sorted(items_of[k])[:6], "n_items": len(items_of[k])}
                                  for k in merged[:examples]]
    return out


def platform_of(item: str) -> str:
    return item.split("/", 1)[0]
