#!/usr/bin/env python3
"""Fills a case store with a year of a large helpline's work, for the escalate and
report benchmarks.

The store must already exist (made by `urltriage ingest`, so that its schema is the
one this urltriage writes); this adds ITEMS items with their reports, checks of the
undecided ones, and escalations, in the shape the lifecycle leaves them:

- platforms: TikTok 76%, then Instagram, YouTube, X, Facebook, Snapchat, Discord;
- status: most content removed (94% of escalated items, as the helpline reports),
  a few percent still live or restricted (some never escalated, some past their
  target), unknown/error for a person, new (not checked yet), false reports;
- 1 to 12 reports per item from 1 to 4 schools; harm category given on 70% of
  reports, otherwise notes in the reporters' words.

Usage: make_store.py STORE ITEMS NOW_EPOCH SEED
"""
import random
import sqlite3
import sys

DAY = 86_400
HOUR = 3_600

PLATFORMS = [("tiktok", 76), ("instagram", 8), ("youtube", 5), ("x", 3), ("facebook", 4), ("snapchat", 3), ("discord", 1)]
TYPES = {
    "tiktok": [("video", 70), ("profile", 20), ("photo", 7), ("live", 3)],
    "instagram": [("post", 50), ("reel", 25), ("profile", 20), ("story", 5)],
    "youtube": [("video", 80), ("shorts", 15), ("channel", 5)],
    "x": [("status", 85), ("profile", 15)],
    "facebook": [("post", 60), ("video", 20), ("profile", 20)],
    "snapchat": [("profile", 60), ("spotlight", 40)],
    "discord": [("invite", 100)],
}
RESPONSE_HOURS = {"tiktok": 48, "instagram": 48, "youtube": 24, "x": 72, "facebook": 48, "snapchat": 48, "discord": 72}
CATEGORIES = ["bullying", "impersonation", "reputation", "misuse_of_name", "threat", "sexual", "other"]
CATEGORY_WEIGHTS = [40, 25, 15, 10, 5, 3, 2]
NOTES = [
    "fake account of {name}", "someone pretending to be {name}", "using our logo on a page about {name}",
    "pupils named in comments under a video of {name}", "fight filmed on the field, {name} in it",
    "lies about {name} spreading", "page rating teachers, {name} at the top", "says they are going to stab {name}",
    "nude photo of a pupil shared by {name}", "please look at this, {name} sent it", "reported again by a parent of {name}",
    "misuse of school name and badge", "mocking a boy in year 7", "parent forwarded it",
]
NAMES = [f"{t} {s}" for t in ("Mr", "Mrs", "Ms", "Miss", "Dr") for s in (
    "Patel", "Jones", "Smith", "Brown", "Taylor", "Wilson", "Khan", "Evans", "Thomas", "Roberts",
    "Walker", "Wright", "Hall", "Green", "Hughes", "Clarke", "Lewis", "Young", "King", "Ahmed")]
SCHOOLS = [f"School {n:04d}" for n in range(2_000)]


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.uniform(0, total)
    for value, weight in weighted:
        r -= weight
        if r <= 0:
            return value
    return weighted[-1][0]


def main():
    path, count, now, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    source = db.execute(
        "INSERT INTO sources (sha256, bytes, lines, format, first_path, first_seen_at) VALUES (?, 0, 0, 'csv', 'generated', ?)",
        (f"generated-{seed}-{count}", now)).lastrowid
    batch = db.execute("INSERT INTO batches (source_id, path, started_at, finished_at, by) VALUES (?, 'generated', ?, ?, 'bench')",
                       (source, now, now)).lastrowid
    items, reports, reporters, checks, escalations = [], [], [], [], []
    report_line = 0
    first_id = (db.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]) + 1
    # Items arrive in the order they were first reported, as daily ingests store them,
    # so rows sit on disk roughly in time order, as in a real store.
    firsts = sorted(now - rng.randrange(0, 365 * DAY) for _ in range(count))
    for n in range(count):
        item_id = first_id + n
        platform = pick(rng, PLATFORMS)
        kind = pick(rng, TYPES[platform])
        first = firsts[n]
        # A handful of reports, most items once; the bulk of reports fall in the first days.
        report_count = min(12, 1 + int(rng.expovariate(1.5)))
        times = sorted(first + (0 if i == 0 else rng.randrange(0, 3 * DAY)) for i in range(report_count))
        last = min(times[-1], now)
        schools = rng.sample(SCHOOLS, min(report_count, rng.choice((1, 1, 1, 2, 2, 3, 4))))
        r = rng.random()
        status, verdict, checked, escalated_at, due, removed_at, count_esc = "removed", "removed", None, None, None, None, 0
        hours = RESPONSE_HOURS[platform]
        if r < 0.005:
            status, verdict = "new", None
        elif r < 0.02:
            status, verdict = "live", "live"
        elif r < 0.036:
            status, verdict = "restricted", "restricted"
        elif r < 0.040:
            status, verdict = ("unknown", "unknown") if rng.random() < 0.5 else ("error", "error")
        elif r < 0.055:
            # Escalated; some past their target and still up.
            escalated_at = min(now - HOUR, first + rng.randrange(HOUR, 10 * DAY))
            due, count_esc, verdict = escalated_at + hours * HOUR, 1, "live"
            status = "overdue" if due < now and rng.random() < 0.5 else "escalated"
        elif r < 0.065:
            status, verdict = "false_report", "live"
        elif r < 0.40:
            # Removed after escalation: 94% of escalated items go.
            escalated_at = first + rng.randrange(HOUR, 5 * DAY)
            due, count_esc = escalated_at + hours * HOUR, 1
            removed_at = escalated_at + int(rng.expovariate(1 / (40 * HOUR)))
        else:
            # Gone before anyone escalated it.
            removed_at = first + int(rng.expovariate(1 / (30 * HOUR)))
        if removed_at is not None and removed_at > now:
            removed_at = now - 60
            if escalated_at is not None and escalated_at > removed_at:
                escalated_at = removed_at - HOUR
                due = escalated_at + hours * HOUR
        if verdict is not None:
            checked = min(now - rng.randrange(60, 20 * HOUR), max(first, removed_at or first))
        key = f"{platform}:{kind}:bench{item_id}"
        items.append((item_id, key, platform, kind, f"https://{platform}.example/{kind}/bench{item_id}", first, last,
                       report_count, len(schools), status, checked or first, verdict, checked, escalated_at,
                       escalated_at, count_esc, due, removed_at))
        for i, at in enumerate(times):
            report_line += 1
            given = rng.random() < 0.7
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0] if given else None
            notes = rng.choice(NOTES).format(name=rng.choice(NAMES))
            reports.append((source, report_line, 0, batch, item_id, platform, at, None, schools[i % len(schools)], category, notes))
        for school in schools:
            reporters.append((item_id, school))
        if status in ("unknown", "error"):
            reason = "rate-limited (HTTP 429) after 3 tries" if status == "unknown" else "connection timed out after 10 s"
            checks.append((item_id, checked, key, status, 429 if status == "unknown" else None, reason, 900))
        if escalated_at is not None:
            escalations.append((item_id, platform, escalated_at, "bench", hours, due))
        if len(items) >= 50_000:
            flush(db, items, reports, reporters, checks, escalations)
    flush(db, items, reports, reporters, checks, escalations)
    db.execute("UPDATE batches SET new_items = ?, new_reports = ? WHERE id = ?", (count, report_line, batch))
    db.commit()
    db.close()


def flush(db, items, reports, reporters, checks, escalations):
    db.executemany("""INSERT INTO items (id, key, platform, type, canonical_url, first_reported_at, last_reported_at,
        report_count, reporter_count, status, status_since, last_verdict, last_checked_at, first_escalated_at,
        last_escalated_at, escalation_count, response_due_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                   items)
    db.executemany("""INSERT INTO reports (source_id, line, url_index, batch_id, item_id, platform, reported_at, reporter,
        organisation, category, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", reports)
    db.executemany("INSERT OR IGNORE INTO item_reporters (item_id, who) VALUES (?, ?)", reporters)
    db.executemany("""INSERT INTO checks (item_id, checked_at, url, verdict, http_status, reason, elapsed_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?)""", checks)
    db.executemany("""INSERT INTO escalations (item_id, platform, escalated_at, by, response_hours, response_due_at)
        VALUES (?, ?, ?, ?, ?, ?)""", escalations)
    db.commit()
    for batch in (items, reports, reporters, checks, escalations):
        batch.clear()


if __name__ == "__main__":
    main()
