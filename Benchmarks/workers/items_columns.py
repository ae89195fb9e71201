#!/usr/bin/env python3
"""What migration v7-workers costs ingest: inserts into `items` as ingest makes them,
into a v7 store and into a copy with the two lease columns dropped (a v6 items table,
same indexes), alternating, ROWS rows each, RUNS times; prints median seconds per run
and microseconds per row. The only thing v7 adds to what ingest writes is those two
NULL columns (the `workers` table and the `checks` columns are not written by ingest).

    python3 Benchmarks/workers/items_columns.py URLTRIAGE_BIN [ROWS] [RUNS]
    perf stat -e instructions:u python3 Benchmarks/workers/items_columns.py URLTRIAGE_BIN ROWS 1 v6   (one variant alone)
"""
import os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

binary = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 300_000
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
work = tempfile.mkdtemp(prefix="items-columns-")
seed = os.path.join(work, "seed.txt")
with open(seed, "w") as f:
    f.write("https://example.org/seed\n")
v7 = os.path.join(work, "v7.sqlite")
subprocess.run([binary, "ingest", seed, "--db", v7], check=True, stdout=subprocess.DEVNULL)
v6 = os.path.join(work, "v6.sqlite")
shutil.copy(v7, v6)
with sqlite3.connect(v6) as db:
    db.execute("ALTER TABLE items DROP COLUMN lease_worker")
    db.execute("ALTER TABLE items DROP COLUMN lease_until")

def run(template):
    path = os.path.join(work, "run.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    shutil.copy(template, path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    started = time.perf_counter()
    for start in range(0, rows, 10_000):
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO items (key, platform, type, canonical_url, category, first_reported_at, last_reported_at, "
            "report_count, status, status_since, next_check_at, reporter_count) VALUES (?, 'web', 'page', ?, NULL, ?, ?, 1, 'new', ?, ?, 1)",
            ((f"web:page:https://h{i % 20}.example.org/item/{i}", f"https://h{i % 20}.example.org/item/{i}",
              1_793_620_800 + i, 1_793_620_800 + i, 1_793_620_800, 1_793_620_800) for i in range(start, min(rows, start + 10_000))))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed

if len(sys.argv) > 4:
    print(f"{sys.argv[4]}: {run(v6 if sys.argv[4] == 'v6' else v7):.3f} s")
    shutil.rmtree(work)
    sys.exit(0)
times = {"v6": [], "v7": []}
for _ in range(runs):
    times["v6"].append(run(v6))
    times["v7"].append(run(v7))
for name in ("v6", "v7"):
    median = statistics.median(times[name])
    print(f"{name}: median {median:.3f} s for {rows} item inserts ({median / rows * 1e6:.2f} us a row); runs {', '.join(f'{t:.3f}' for t in times[name])}")
print(f"v7 / v6: {statistics.median(times['v7']) / statistics.median(times['v6']):.3f}")
shutil.rmtree(work)
