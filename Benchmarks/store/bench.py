#!/usr/bin/env python3
"""Time the case store: ingest of a report corpus, selecting due items, stats.

    python3 bench.py --bin .build/release/urltriage --corpus DIR/corpus.txt --work DIR --runs 5

1. ingest: `urltriage ingest corpus.txt` into a new store, --runs times; median wall
   seconds, CPU seconds (user + sys: the work of the one core the ingest runs on)
   and peak RSS, from os.wait4 (what /usr/bin/time -f '%e %U %S %M' prints).
2. a store of --items distinct items (one URL each, platform mix as the corpus),
   ingested once, then given a plausible history straight in SQLite (checks,
   escalations 35 %, removals, overdue items, next checks spread so that about
   a tenth is due), deterministic from the item id.
3. due items: `urltriage recheck --dry-run` walks every due item through the
   index as a recheck does; it prints the time of the first page (what a recheck
   waits for) and of the whole walk. Median of --runs, and the process's wall time.
4. stats: `urltriage stats --format json`, median wall time of --runs.

Prints one JSON object; run.sh turns it into the Markdown for BENCHMARKS.md.
Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from timing import run_once  # noqa: E402  (the shared timing helper, one directory up)

HOUR = 3600


def run(cmd: list[str], stdout: str = "/dev/null") -> dict:
    """Runs a command once; wall seconds, CPU seconds and peak RSS (MiB)."""
    sample = run_once(cmd, stdout=stdout)
    if sample.code != 0:
        sys.exit(f"bench.py: {' '.join(cmd)} exited with {sample.code}: {sample.stderr}")
    return {"wall": sample.wall, "cpu": sample.cpu, "user": sample.user, "sys": sample.sys,
            "rss_mb": sample.rss_kib / 1024}


def remove_store(path: str) -> None:
    for suffix in ("", "-wal", "-shm", ".recheck-lock"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


# ---------------------------------------------------------------------------
# a store of N distinct items with a history


def write_distinct_items(path: str, count: int) -> None:
    """One distinct URL per line, platforms mixed as in the corpus (3/4 TikTok)."""
    alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

    def code(n: int, length: int) -> str:
        out = []
        for _ in range(length):
            n, r = divmod(n, 62)
            out.append(alnum[r])
        return "".join(out)

    with open(path, "w") as f:
        for i in range(count):
            kind = i % 20
            if kind < 15:
                f.write(f"reported https://www.tiktok.com/@user{i % 9973}/video/7{i:018d}\n")
            elif kind < 17:
                f.write(f"see https://www.instagram.com/p/{code(i * 7919, 11)}/\n")
            elif kind < 18:
                f.write(f"https://www.youtube.com/watch?v={code(i * 104729, 11)}\n")
            elif kind < 19:
                f.write(f"https://x.com/someone{i % 997}/status/1{i:018d}\n")
            else:
                f.write(f"https://forum{i % 101}.example.org/thread?id={i}\n")


def give_history(db: str, now: int) -> dict:
    """Statuses, checks, escalations and removals for every item, deterministic from its id."""
    con = sqlite3.connect(db)
    h = "((id * 2654435761) % 1000)"   # a stable pseudo-random 0..999 per item
    g = "((id * 40503) % 1000)"
    con.executescript(f"""
        UPDATE items SET first_reported_at = {now} - ({h} * 97 % (60 * 24)) * {HOUR} / 2,
                         last_reported_at = {now} - ({h} * 97 % (60 * 24)) * {HOUR} / 2 + {g} * 60;
        -- 35 % escalated two hours after the first report, response target 48 h
        UPDATE items SET status = 'escalated', first_escalated_at = first_reported_at + 2 * {HOUR},
                         last_escalated_at = first_reported_at + 2 * {HOUR}, escalation_count = 1,
                         response_due_at = first_reported_at + 50 * {HOUR}
            WHERE {h} < 350;
        -- 94 % of those removed after a day or more, the rest still up (some past the target)
        UPDATE items SET status = 'removed', removed_at = first_escalated_at + ({g} % 240) * {HOUR} / 2,
                         next_check_at = NULL
            WHERE {h} < 350 AND {g} < 940;
        -- 15 % gone before anyone escalated them
        UPDATE items SET status = 'removed', removed_at = first_reported_at + ({g} % 48) * {HOUR}, next_check_at = NULL
            WHERE {h} >= 350 AND {h} < 500;
        -- the rest checked: live, restricted, unknown, error
        UPDATE items SET status = CASE WHEN {g} < 800 THEN 'live' WHEN {g} < 900 THEN 'restricted'
                                       WHEN {g} < 960 THEN 'unknown' ELSE 'error' END
            WHERE {h} >= 500;
        UPDATE items SET last_verdict = CASE status WHEN 'escalated' THEN 'live' WHEN 'overdue' THEN 'live' ELSE status END,
                         last_checked_at = {now} - ({g} % 24) * {HOUR}, check_streak = 1;
        UPDATE items SET status = 'overdue' WHERE status = 'escalated' AND response_due_at < {now};
        -- next checks spread over the next day; about a tenth already due
        UPDATE items SET next_check_at = {now} - 5 * {HOUR} + ({g} * 37 % 1000) * 26 * {HOUR} / 1000
            WHERE status <> 'removed';
    """)
    con.commit()
    counts = dict(con.execute("SELECT status, count(*) FROM items GROUP BY status").fetchall())
    due = con.execute("SELECT count(*) FROM items WHERE next_check_at <= ?", (now,)).fetchone()[0]
    total = con.execute("SELECT count(*) FROM items").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return {"items": total, "due": due, "statuses": counts}


# ---------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--items", type=int, default=1_000_000)
    a = ap.parse_args(argv)
    os.makedirs(a.work, exist_ok=True)
    result: dict = {}

    # 1. ingest
    with open(a.corpus, "rb") as f:
        lines = sum(1 for _ in f)
    store = os.path.join(a.work, "ingest.sqlite")
    runs = []
    for i in range(a.runs):
        remove_store(store)
        r = run([a.bin, "ingest", a.corpus, "--db", store, "--rules", a.rules], stdout=os.path.join(a.work, "ingest.txt"))
        print(f"bench.py: ingest run {i + 1}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, {r['rss_mb']:.0f} MiB",
              file=sys.stderr)
        runs.append(r)
    con = sqlite3.connect(store)
    ingested = {"reports": con.execute("SELECT count(*) FROM reports").fetchone()[0],
                "items": con.execute("SELECT count(*) FROM items").fetchone()[0]}
    size = os.path.getsize(store)
    con.close()
    again = run([a.bin, "ingest", a.corpus, "--db", store, "--rules", a.rules])
    result["ingest"] = {"lines": lines, "runs": len(runs), **ingested, "store_mb": size / 2**20,
                        "wall": median(runs, "wall"), "cpu": median(runs, "cpu"), "user": median(runs, "user"),
                        "sys": median(runs, "sys"), "rss_mb": max(r["rss_mb"] for r in runs),
                        "walls": [round(r["wall"], 2) for r in runs], "cpus": [round(r["cpu"], 2) for r in runs],
                        "again_wall": again["wall"]}
    remove_store(store)

    # 2. a store of N items with a history
    big = os.path.join(a.work, f"items-{a.items}.sqlite")
    source = os.path.join(a.work, f"items-{a.items}.txt")
    if not os.path.exists(big):
        write_distinct_items(source, a.items)
        run([a.bin, "ingest", source, "--db", big, "--rules", a.rules])
        result["history"] = give_history(big, int(time.time()))
    else:
        con = sqlite3.connect(big)
        result["history"] = {"items": con.execute("SELECT count(*) FROM items").fetchone()[0], "reused": True}
        con.close()

    # 3. due items (the history's clock is the time it was written; "now" moves on, so the due
    # share grows slowly if the store is reused)
    due = []
    for _ in range(a.runs):
        out = os.path.join(a.work, "due.txt")
        r = run([a.bin, "recheck", "--dry-run", "--db", big, "--rules", a.rules], stdout=out)
        text = open(out).read()
        m = re.search(r"^(\d+) items? due.*?selected in ([\d.]+) ms \(first page of \d+ in ([\d.]+) ms\)", text, re.S)
        if not m:
            sys.exit(f"bench.py: cannot read the dry run's output:\n{text}")
        due.append({"wall": r["wall"], "due": int(m.group(1)), "all_ms": float(m.group(2)), "first_ms": float(m.group(3))})
    result["due"] = {"due": due[-1]["due"], "first_page_ms": statistics.median(d["first_ms"] for d in due),
                     "all_ms": statistics.median(d["all_ms"] for d in due),
                     "wall": statistics.median(d["wall"] for d in due)}

    # 4. stats
    stats = [run([a.bin, "stats", "--format", "json", "--db", big], stdout=os.path.join(a.work, "stats.json"))
             for _ in range(a.runs)]
    figures = json.load(open(os.path.join(a.work, "stats.json")))
    result["stats"] = {"wall": median(stats, "wall"), "cpu": median(stats, "cpu"),
                       "walls": [round(r["wall"], 3) for r in stats],
                       "takedownRate": figures.get("takedownRate"), "items": figures.get("items")}
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
