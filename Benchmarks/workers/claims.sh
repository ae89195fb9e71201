#!/usr/bin/env bash
# Due-item claims over a store of ITEMS items (issue 11: under 20 ms per batch of 1,000), on
# SQLite and on PostgreSQL: CLAIMS claims of BATCH items one after another, as a worker's
# round takes them, each leasing the most overdue items not yet leased; prints the median,
# fastest and slowest claim in milliseconds.
#
#   Benchmarks/workers/claims.sh BIN [ITEMS] [BATCH] [CLAIMS] [LAYOUT]
#
# BIN (a built urltriage) creates both stores with `ingest` of one line, so that they have
# the schema its migrations make; the items are then generated in SQL: four statuses, due
# times spread over two days around "now", so half of them are due. LAYOUT says how due
# times follow the order the items were stored in: `scattered` (default, the worst case:
# each claim of 1,000 touches 1,000 table pages) or `ingest` (due in the order they were
# reported, as a store's first rechecks are). The claim statements are those of SQLiteCheckQueue.claim and
# PostgresCheckQueue.claim (keep them in step):
# - SQLite: BEGIN IMMEDIATE, the UPDATE … RETURNING over items_due, the worker's
#   last_seen_at, COMMIT, timed in one Python process as a worker runs them in its own;
# - PostgreSQL: the one statement (FOR UPDATE SKIP LOCKED in a WITH), timed by psql's
#   \timing, so the figure includes the round trip over loopback.
# The PostgreSQL server is $URLTRIAGE_TEST_PG (else a throwaway cluster from .ci/postgres).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:?usage: claims.sh BIN [ITEMS] [BATCH] [CLAIMS]}
ITEMS=${2:-1000000}
BATCH=${3:-1000}
CLAIMS=${4:-21}
LAYOUT=${5:-scattered}
case "$LAYOUT" in
  scattered) DUE="(i * 7919) % 172800" ;;
  ingest) DUE="(i * 172800) / $ITEMS" ;;
  *) echo "claims.sh: LAYOUT is scattered or ingest, not $LAYOUT" >&2; exit 2 ;;
esac
NOW=1793620800
DATA=Benchmarks/.data/claims
mkdir -p "$DATA"
printf 'https://seed.example.org/page/0\n' > "$DATA/seed.txt"

. Benchmarks/postgres-server.sh
export PGOPTIONS='-c client_min_messages=warning'
STORE=$DATA/claims.sqlite
cleanup() {
  rm -f "$STORE" "$STORE-wal" "$STORE-shm"
  psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_claims" >/dev/null 2>&1 || true
  postgres_server_stop
  true
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load before $(cut -d' ' -f1-3 /proc/loadavg)"

# The generated items: the i-th is due at NOW - 1 day + DUE (within two days).
ITEM_SQL="'web:page:bench.example/item/' || i, 'web', 'page', 'https://bench.example/item/' || i,
  $NOW - 86400, $NOW - 86400, (CASE i % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'live' WHEN 2 THEN 'escalated' ELSE 'unknown' END),
  $NOW - 86400, $NOW - 86400 + $DUE"
COLUMNS="key, platform, type, canonical_url, first_reported_at, last_reported_at, status, status_since, next_check_at"

# SQLite
rm -f "$STORE" "$STORE-wal" "$STORE-shm"
"$BIN" ingest "$DATA/seed.txt" --db "$STORE" --rules rules > /dev/null
sqlite3 "$STORE" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ITEMS)
  INSERT INTO items ($COLUMNS) SELECT $ITEM_SQL FROM n; INSERT INTO workers (name, started_at, last_seen_at) VALUES ('bench', $NOW, $NOW)"
sqlite_ms=$(python3 - "$STORE" "$BATCH" "$CLAIMS" "$NOW" <<'PY'
import sqlite3, sys, time
path, batch, claims, now = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
db = sqlite3.connect(path, isolation_level=None)
# The settings CaseStore opens its writer with.
for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -65536", "temp_store = MEMORY", "mmap_size = 1073741824"):
    db.execute("PRAGMA " + pragma)
times = []
for _ in range(claims):
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    rows = db.execute("""
        UPDATE items SET lease_worker = ?, lease_until = ?, next_check_at = ?
        WHERE id IN (SELECT id FROM items INDEXED BY items_due
                     WHERE next_check_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                     ORDER BY next_check_at, status, id LIMIT ?)
        RETURNING key, canonical_url, platform, type""", ("bench", now + 300, now + 300, now, now, batch)).fetchall()
    db.execute("UPDATE workers SET last_seen_at = ? WHERE name = ?", (now, "bench"))
    db.execute("COMMIT")
    times.append((time.perf_counter() - start) * 1000)
    assert len(rows) == batch, len(rows)
print(" ".join(f"{t:.2f}" for t in times))
PY
)

# PostgreSQL
psql -q "$SERVER" -c "DROP DATABASE IF EXISTS bench_claims" -c "CREATE DATABASE bench_claims" >/dev/null
"$BIN" ingest "$DATA/seed.txt" --db "$BASE/bench_claims" --rules rules > /dev/null
psql -q "$BASE/bench_claims" -v ON_ERROR_STOP=1 \
  -c "INSERT INTO items ($COLUMNS) SELECT $ITEM_SQL FROM generate_series(1::bigint, $ITEMS) AS i" \
  -c "INSERT INTO workers (name, started_at, last_seen_at) VALUES ('bench', $NOW, $NOW)" \
  -c "VACUUM ANALYZE items" >/dev/null
{
  echo '\timing on'
  for _ in $(seq "$CLAIMS"); do
    cat <<SQL
WITH seen AS (UPDATE workers SET last_seen_at = $NOW WHERE name = 'bench'),
due AS (SELECT id FROM items WHERE next_check_at <= $NOW AND (lease_until IS NULL OR lease_until < $NOW)
        ORDER BY next_check_at, status, id LIMIT $BATCH FOR UPDATE SKIP LOCKED)
UPDATE items SET lease_worker = 'bench', lease_until = $((NOW + 300)), next_check_at = $((NOW + 300))
FROM due WHERE items.id = due.id
RETURNING items.key, items.canonical_url, items.platform, items.type;
SQL
  done
} > "$DATA/claims.sql"
pg_ms=$(psql -q "$BASE/bench_claims" -v ON_ERROR_STOP=1 -f "$DATA/claims.sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tr '\n' ' ')
leased=$(psql -qtA "$BASE/bench_claims" -c "SELECT count(*) FROM items WHERE lease_worker = 'bench'")
[ "$leased" = $((BATCH * CLAIMS)) ] || { echo "PostgreSQL leased $leased items, not $((BATCH * CLAIMS))" >&2; exit 1; }
plan=$(psql -qtA "$BASE/bench_claims" -c "EXPLAIN SELECT id FROM items WHERE next_check_at <= $NOW AND (lease_until IS NULL OR lease_until < $NOW)
  ORDER BY next_check_at, status, id LIMIT $BATCH FOR UPDATE SKIP LOCKED" | grep -o 'Index Scan using [a-z_]*' | head -1)

echo "| store ($ITEMS items, half due, $LAYOUT) | median ms per claim of $BATCH | fastest | slowest | claims |"
echo "|---|---:|---:|---:|---:|"
for row in "SQLite|$sqlite_ms" "PostgreSQL ($plan)|$pg_ms"; do
  python3 -c "import statistics, sys
t = [float(x) for x in sys.argv[2].split()]
print(f'| {sys.argv[1]} | {statistics.median(t):.1f} | {min(t):.1f} | {max(t):.1f} | {len(t)} |')" "${row%%|*}" "${row#*|}"
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
