#!/usr/bin/env python3
"""A helpline's CSV export made from the benchmark corpus, for timing `urltriage ingest`.

    python3 Benchmarks/ingest/make_csv.py CORPUS_DIR OUT.csv [--seed S]

Reads CORPUS_DIR/corpus.txt and truth.tsv (Benchmarks/corpus/generate.py) and writes one
CSV record per corpus line, with the header

    reported_at,reporter,school,category,url,notes

- reported_at: an ISO date and time over the year before 2026-11-26, in line order with jitter;
- reporter and school: one of 400 staff names at one of 120 schools;
- category: a harm category on 70% of records, empty otherwise;
- url: the URL as the line wrote it (truth.tsv's `url`);
- notes: the line's words, quoted, with commas on every record, doubled quotes on one in
  eight and a line break inside the quotes on one in twenty (RFC 4180), as staff paste them.

The same corpus line gives the same URL in both files, so the CSV and the text corpus make
the same items; only the fields around the URL differ. Stdlib only, deterministic.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import sys

CATEGORIES = ["bullying", "impersonation", "self-harm", "sexual", "violence", "hate", "scam", "privacy"]
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Ema", "Femi", "Grace", "Hana", "Idris", "Jo", "Kit", "Lena", "Mo", "Nia",
         "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq"]
LAST = ["Adams", "Brown", "Clarke", "Davies", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis",
        "Morgan", "Nash", "Owens", "Patel", "Reid", "Shaw", "Taylor", "Walsh"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus_dir")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20261205)
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    staff = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(400)]
    schools = [f"School {n:03d}, {rng.choice(LAST)}ton" for n in range(120)]
    end = int(datetime.datetime(2026, 11, 26, tzinfo=datetime.timezone.utc).timestamp())
    start = end - 365 * 86400

    with open(os.path.join(a.corpus_dir, "truth.tsv"), encoding="utf-8") as f:
        next(f)
        urls = [line.rstrip("\n").split("\t")[2] for line in f]
    with open(os.path.join(a.corpus_dir, "corpus.txt"), encoding="utf-8", newline="\n") as f:
        lines = [line.rstrip("\n") for line in f]
    if len(urls) != len(lines):
        sys.exit(f"make_csv.py: {len(lines)} corpus lines but {len(urls)} truth rows")

    total = len(lines)
    with open(a.out, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(["reported_at", "reporter", "school", "category", "url", "notes"])
        for i, (line, url) in enumerate(zip(lines, urls)):
            at = start + (365 * 86400 * i) // max(total, 1) + rng.randrange(-3600, 3600)
            when = datetime.datetime.fromtimestamp(at, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            who = rng.randrange(len(staff))
            words = line.replace(url, "").strip() or "see link"
            notes = f"{words}, reported by {staff[who].split()[0]}"
            if i % 8 == 3:
                notes += ' (pupil said "it is still up")'
            if i % 20 == 7:
                notes += "\nfollow-up: parent informed, screenshot kept"
            category = rng.choice(CATEGORIES) if rng.random() < 0.7 else ""
            w.writerow([when, staff[who], schools[who % len(schools)], category, url, notes])
    return 0


if __name__ == "__main__":
    sys.exit(main())
