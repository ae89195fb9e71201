#!/usr/bin/env python3
"""The corpus's URLs as a helpline's CSV export and as plain text, for CSV-vs-text timing.

    python3 make_csv.py --truth truth.tsv --corpus corpus.txt --out DIR

writes
    DIR/urls.txt     the URL tokens of truth.tsv, one per line (the text path's input)
    DIR/reports.csv  reported_at,reporter,category,url,notes: the same URLs in the same
                     order, one record each; notes are the corpus line's words, quoted,
                     with embedded commas and doubled quotes, and every third note runs
                     over two or three lines (CRLF and LF); every other url cell is quoted.

`normalize` must give the same rows (bar the line column) for both files.
"""

from __future__ import annotations

import argparse
import os

REPORTERS = ["parent", "teacher, year 9", "Smith; J", "school \"Oak\"", "anon"]
CATEGORIES = ["bullying", "self-harm", "nudity", "violence", ""]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(a.truth, encoding="utf-8", newline="\n") as truth, \
         open(a.corpus, encoding="utf-8", newline="\n") as corpus, \
         open(os.path.join(a.out, "urls.txt"), "w", encoding="utf-8", newline="\n") as text, \
         open(os.path.join(a.out, "reports.csv"), "w", encoding="utf-8", newline="") as csv:
        truth.readline()
        csv.write("reported_at,reporter,category,url,notes\r\n")
        for n, (row, line) in enumerate(zip(truth, corpus)):
            url = row.rstrip("\n").split("\t", 3)[2]
            words = line.rstrip("\n").replace(url, "<link>")
            text.write(url + "\n")
            note = 'seen by %s, said "%s"' % (REPORTERS[n % 5], words)
            if n % 3 == 0:
                note += "\r\nfollow-up: still up, screenshot kept" if n % 2 else "\nfollow-up:\nasked to remove"
            cell = '"%s"' % url.replace('"', '""') if (n % 2 or "," in url or '"' in url) else url
            csv.write('2026-11-%02dT%02d:%02d:00Z,"%s",%s,%s,"%s"\r\n' % (
                1 + n % 28, n % 24, n % 60, REPORTERS[n % 5].replace('"', '""'), CATEGORIES[n % 5],
                cell, note.replace('"', '""')))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
